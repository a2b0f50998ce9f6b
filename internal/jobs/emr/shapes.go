package emr

import (
	"encoding/json"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// Wire shapes of the EMR API (AWS JSON 1.1), named and cased as in the
// SDK model (service/emr v1.71.3). Members tarn only echoes stay
// json.RawMessage so whatever a client sent comes back unchanged.

// Tag is a cluster tag.
type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value,omitempty"`
}

// KeyValue is a HadoopJarStep property.
type KeyValue struct {
	Key   string `json:"Key,omitempty"`
	Value string `json:"Value,omitempty"`
}

// Application is an application on the cluster (Spark, Hive, ...).
type Application struct {
	Name           string            `json:"Name,omitempty"`
	Version        string            `json:"Version,omitempty"`
	Args           []string          `json:"Args,omitempty"`
	AdditionalInfo map[string]string `json:"AdditionalInfo,omitempty"`
}

// HadoopJarStepConfig is what a step runs, as requested.
type HadoopJarStepConfig struct {
	Jar        *string    `json:"Jar"`
	Args       []string   `json:"Args,omitempty"`
	MainClass  string     `json:"MainClass,omitempty"`
	Properties []KeyValue `json:"Properties,omitempty"`
}

// StepConfig is one step of RunJobFlow or AddJobFlowSteps.
type StepConfig struct {
	Name            *string              `json:"Name"`
	ActionOnFailure string               `json:"ActionOnFailure,omitempty"`
	HadoopJarStep   *HadoopJarStepConfig `json:"HadoopJarStep"`
	Monitoring      json.RawMessage      `json:"StepMonitoringConfiguration,omitempty"`
}

// InstanceGroupConfig is a requested instance group.
type InstanceGroupConfig struct {
	Name              string          `json:"Name,omitempty"`
	InstanceRole      string          `json:"InstanceRole"`
	InstanceType      string          `json:"InstanceType"`
	InstanceCount     *int32          `json:"InstanceCount"`
	Market            string          `json:"Market,omitempty"`
	BidPrice          string          `json:"BidPrice,omitempty"`
	CustomAmiId       string          `json:"CustomAmiId,omitempty"`
	Configurations    json.RawMessage `json:"Configurations,omitempty"`
	EbsConfiguration  json.RawMessage `json:"EbsConfiguration,omitempty"`
	AutoScalingPolicy json.RawMessage `json:"AutoScalingPolicy,omitempty"`
}

// InstanceFleetConfig is a requested instance fleet.
type InstanceFleetConfig struct {
	Name                   string          `json:"Name,omitempty"`
	InstanceFleetType      string          `json:"InstanceFleetType"`
	TargetOnDemandCapacity *int32          `json:"TargetOnDemandCapacity,omitempty"`
	TargetSpotCapacity     *int32          `json:"TargetSpotCapacity,omitempty"`
	InstanceTypeConfigs    json.RawMessage `json:"InstanceTypeConfigs,omitempty"`
	LaunchSpecifications   json.RawMessage `json:"LaunchSpecifications,omitempty"`
	ResizeSpecifications   json.RawMessage `json:"ResizeSpecifications,omitempty"`
	Context                string          `json:"Context,omitempty"`
}

// JobFlowInstancesConfig is RunJobFlow's Instances.
type JobFlowInstancesConfig struct {
	MasterInstanceType             string                `json:"MasterInstanceType,omitempty"`
	SlaveInstanceType              string                `json:"SlaveInstanceType,omitempty"`
	InstanceCount                  *int32                `json:"InstanceCount,omitempty"`
	InstanceGroups                 []InstanceGroupConfig `json:"InstanceGroups,omitempty"`
	InstanceFleets                 []InstanceFleetConfig `json:"InstanceFleets,omitempty"`
	KeepJobFlowAliveWhenNoSteps    *bool                 `json:"KeepJobFlowAliveWhenNoSteps,omitempty"`
	TerminationProtected           *bool                 `json:"TerminationProtected,omitempty"`
	UnhealthyNodeReplacement       *bool                 `json:"UnhealthyNodeReplacement,omitempty"`
	Ec2KeyName                     string                `json:"Ec2KeyName,omitempty"`
	Ec2SubnetId                    string                `json:"Ec2SubnetId,omitempty"`
	Ec2SubnetIds                   []string              `json:"Ec2SubnetIds,omitempty"`
	HadoopVersion                  string                `json:"HadoopVersion,omitempty"`
	Placement                      *Placement            `json:"Placement,omitempty"`
	EmrManagedMasterSecurityGroup  string                `json:"EmrManagedMasterSecurityGroup,omitempty"`
	EmrManagedSlaveSecurityGroup   string                `json:"EmrManagedSlaveSecurityGroup,omitempty"`
	ServiceAccessSecurityGroup     string                `json:"ServiceAccessSecurityGroup,omitempty"`
	AdditionalMasterSecurityGroups []string              `json:"AdditionalMasterSecurityGroups,omitempty"`
	AdditionalSlaveSecurityGroups  []string              `json:"AdditionalSlaveSecurityGroups,omitempty"`
}

// Placement is the requested availability zone(s).
type Placement struct {
	AvailabilityZone  string   `json:"AvailabilityZone,omitempty"`
	AvailabilityZones []string `json:"AvailabilityZones,omitempty"`
}

// Ec2InstanceAttributes describe where the cluster's instances are.
type Ec2InstanceAttributes struct {
	Ec2KeyName                     string   `json:"Ec2KeyName,omitempty"`
	Ec2SubnetId                    string   `json:"Ec2SubnetId,omitempty"`
	RequestedEc2SubnetIds          []string `json:"RequestedEc2SubnetIds,omitempty"`
	Ec2AvailabilityZone            string   `json:"Ec2AvailabilityZone,omitempty"`
	RequestedEc2AvailabilityZones  []string `json:"RequestedEc2AvailabilityZones,omitempty"`
	IamInstanceProfile             string   `json:"IamInstanceProfile,omitempty"`
	EmrManagedMasterSecurityGroup  string   `json:"EmrManagedMasterSecurityGroup,omitempty"`
	EmrManagedSlaveSecurityGroup   string   `json:"EmrManagedSlaveSecurityGroup,omitempty"`
	ServiceAccessSecurityGroup     string   `json:"ServiceAccessSecurityGroup,omitempty"`
	AdditionalMasterSecurityGroups []string `json:"AdditionalMasterSecurityGroups,omitempty"`
	AdditionalSlaveSecurityGroups  []string `json:"AdditionalSlaveSecurityGroups,omitempty"`
}

// StateChangeReason is the Code/Message pair of cluster, step and
// instance group statuses.
type StateChangeReason struct {
	Code    string `json:"Code,omitempty"`
	Message string `json:"Message,omitempty"`
}

// Timeline is a cluster's or instance group's timeline.
type Timeline struct {
	CreationDateTime *awsjson.Timestamp `json:"CreationDateTime,omitempty"`
	ReadyDateTime    *awsjson.Timestamp `json:"ReadyDateTime,omitempty"`
	EndDateTime      *awsjson.Timestamp `json:"EndDateTime,omitempty"`
}

// ClusterStatus is a cluster's state.
type ClusterStatus struct {
	State             string            `json:"State"`
	StateChangeReason StateChangeReason `json:"StateChangeReason"`
	Timeline          Timeline          `json:"Timeline"`
}

// Cluster is DescribeCluster's answer.
type Cluster struct {
	Id                       string                 `json:"Id"`
	Name                     string                 `json:"Name"`
	ClusterArn               string                 `json:"ClusterArn"`
	Status                   ClusterStatus          `json:"Status"`
	Ec2InstanceAttributes    *Ec2InstanceAttributes `json:"Ec2InstanceAttributes,omitempty"`
	InstanceCollectionType   string                 `json:"InstanceCollectionType,omitempty"`
	LogUri                   string                 `json:"LogUri,omitempty"`
	ReleaseLabel             string                 `json:"ReleaseLabel,omitempty"`
	RequestedAmiVersion      string                 `json:"RequestedAmiVersion,omitempty"`
	RunningAmiVersion        string                 `json:"RunningAmiVersion,omitempty"`
	OSReleaseLabel           string                 `json:"OSReleaseLabel,omitempty"`
	AutoTerminate            bool                   `json:"AutoTerminate"`
	TerminationProtected     bool                   `json:"TerminationProtected"`
	UnhealthyNodeReplacement *bool                  `json:"UnhealthyNodeReplacement,omitempty"`
	VisibleToAllUsers        bool                   `json:"VisibleToAllUsers"`
	Applications             []Application          `json:"Applications,omitempty"`
	Tags                     []Tag                  `json:"Tags,omitempty"`
	ServiceRole              string                 `json:"ServiceRole,omitempty"`
	AutoScalingRole          string                 `json:"AutoScalingRole,omitempty"`
	SecurityConfiguration    string                 `json:"SecurityConfiguration,omitempty"`
	ScaleDownBehavior        string                 `json:"ScaleDownBehavior,omitempty"`
	CustomAmiId              string                 `json:"CustomAmiId,omitempty"`
	EbsRootVolumeSize        *int32                 `json:"EbsRootVolumeSize,omitempty"`
	StepConcurrencyLevel     int32                  `json:"StepConcurrencyLevel"`
	NormalizedInstanceHours  int32                  `json:"NormalizedInstanceHours"`
	MasterPublicDnsName      string                 `json:"MasterPublicDnsName,omitempty"`
	Configurations           json.RawMessage        `json:"Configurations,omitempty"`
}

// ClusterSummary is one ListClusters entry.
type ClusterSummary struct {
	Id                      string        `json:"Id"`
	Name                    string        `json:"Name"`
	ClusterArn              string        `json:"ClusterArn"`
	Status                  ClusterStatus `json:"Status"`
	NormalizedInstanceHours int32         `json:"NormalizedInstanceHours"`
}

// HadoopStepConfig is a step's configuration as described.
type HadoopStepConfig struct {
	Jar        string            `json:"Jar,omitempty"`
	Args       []string          `json:"Args"`
	MainClass  string            `json:"MainClass,omitempty"`
	Properties map[string]string `json:"Properties"`
}

// FailureDetails say why a step FAILED.
type FailureDetails struct {
	Reason  string `json:"Reason,omitempty"`
	Message string `json:"Message,omitempty"`
	LogFile string `json:"LogFile,omitempty"`
}

// StepTimeline is a step's timeline.
type StepTimeline struct {
	CreationDateTime *awsjson.Timestamp `json:"CreationDateTime,omitempty"`
	StartDateTime    *awsjson.Timestamp `json:"StartDateTime,omitempty"`
	EndDateTime      *awsjson.Timestamp `json:"EndDateTime,omitempty"`
}

// StepStatus is a step's state.
type StepStatus struct {
	State             string            `json:"State"`
	StateChangeReason StateChangeReason `json:"StateChangeReason"`
	FailureDetails    *FailureDetails   `json:"FailureDetails,omitempty"`
	Timeline          StepTimeline      `json:"Timeline"`
}

// Step is DescribeStep's answer and (as StepSummary) a ListSteps entry.
type Step struct {
	Id              string           `json:"Id"`
	Name            string           `json:"Name"`
	Config          HadoopStepConfig `json:"Config"`
	ActionOnFailure string           `json:"ActionOnFailure"`
	Status          StepStatus       `json:"Status"`
}

// InstanceGroupStatus is an instance group's state.
type InstanceGroupStatus struct {
	State             string            `json:"State"`
	StateChangeReason StateChangeReason `json:"StateChangeReason"`
	Timeline          Timeline          `json:"Timeline"`
}

// InstanceGroup is one ListInstanceGroups entry.
type InstanceGroup struct {
	Id                     string              `json:"Id"`
	Name                   string              `json:"Name,omitempty"`
	Market                 string              `json:"Market"`
	InstanceGroupType      string              `json:"InstanceGroupType"`
	InstanceType           string              `json:"InstanceType"`
	BidPrice               string              `json:"BidPrice,omitempty"`
	CustomAmiId            string              `json:"CustomAmiId,omitempty"`
	RequestedInstanceCount int32               `json:"RequestedInstanceCount"`
	RunningInstanceCount   int32               `json:"RunningInstanceCount"`
	Status                 InstanceGroupStatus `json:"Status"`
	Configurations         json.RawMessage     `json:"Configurations,omitempty"`
	ConfigurationsVersion  int64               `json:"ConfigurationsVersion"`
	EbsOptimized           bool                `json:"EbsOptimized"`
	ShrinkPolicy           json.RawMessage     `json:"ShrinkPolicy,omitempty"`
}

// InstanceFleetStatus is an instance fleet's state.
type InstanceFleetStatus struct {
	State             string            `json:"State"`
	StateChangeReason StateChangeReason `json:"StateChangeReason"`
	Timeline          Timeline          `json:"Timeline"`
}

// InstanceFleet is one ListInstanceFleets entry.
type InstanceFleet struct {
	Id                          string              `json:"Id"`
	Name                        string              `json:"Name,omitempty"`
	InstanceFleetType           string              `json:"InstanceFleetType"`
	TargetOnDemandCapacity      int32               `json:"TargetOnDemandCapacity"`
	TargetSpotCapacity          int32               `json:"TargetSpotCapacity"`
	ProvisionedOnDemandCapacity int32               `json:"ProvisionedOnDemandCapacity"`
	ProvisionedSpotCapacity     int32               `json:"ProvisionedSpotCapacity"`
	InstanceTypeSpecifications  json.RawMessage     `json:"InstanceTypeSpecifications,omitempty"`
	LaunchSpecifications        json.RawMessage     `json:"LaunchSpecifications,omitempty"`
	ResizeSpecifications        json.RawMessage     `json:"ResizeSpecifications,omitempty"`
	Context                     string              `json:"Context,omitempty"`
	Status                      InstanceFleetStatus `json:"Status"`
}

// CancelStepsInfo is one CancelSteps result.
type CancelStepsInfo struct {
	StepId string `json:"StepId"`
	Status string `json:"Status"`
	Reason string `json:"Reason,omitempty"`
}

// BootstrapActionConfig is a requested bootstrap action.
type BootstrapActionConfig struct {
	Name                  *string `json:"Name"`
	ScriptBootstrapAction *struct {
		Path *string  `json:"Path"`
		Args []string `json:"Args,omitempty"`
	} `json:"ScriptBootstrapAction"`
}

// Command is one ListBootstrapActions entry.
type Command struct {
	Name       string   `json:"Name"`
	ScriptPath string   `json:"ScriptPath"`
	Args       []string `json:"Args"`
}
