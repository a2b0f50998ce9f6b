package emr

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"sort"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/awsjson"
)

const (
	maxNameLen     = 256
	clustersPage   = 50
	maxActiveSteps = 256
)

type runJobFlowInput struct {
	Name                  *string                 `json:"Name"`
	LogUri                string                  `json:"LogUri"`
	ReleaseLabel          string                  `json:"ReleaseLabel"`
	AmiVersion            string                  `json:"AmiVersion"`
	OSReleaseLabel        string                  `json:"OSReleaseLabel"`
	Instances             *JobFlowInstancesConfig `json:"Instances"`
	Steps                 []StepConfig            `json:"Steps"`
	Applications          []Application           `json:"Applications"`
	Tags                  []Tag                   `json:"Tags"`
	VisibleToAllUsers     *bool                   `json:"VisibleToAllUsers"`
	ServiceRole           string                  `json:"ServiceRole"`
	JobFlowRole           string                  `json:"JobFlowRole"`
	AutoScalingRole       string                  `json:"AutoScalingRole"`
	SecurityConfiguration string                  `json:"SecurityConfiguration"`
	ScaleDownBehavior     string                  `json:"ScaleDownBehavior"`
	CustomAmiId           string                  `json:"CustomAmiId"`
	EbsRootVolumeSize     *int32                  `json:"EbsRootVolumeSize"`
	StepConcurrencyLevel  *int32                  `json:"StepConcurrencyLevel"`
	Configurations        json.RawMessage         `json:"Configurations"`
	BootstrapActions      []BootstrapActionConfig `json:"BootstrapActions"`
}

type runJobFlowOutput struct {
	JobFlowId  string `json:"JobFlowId"`
	ClusterArn string `json:"ClusterArn"`
}

func (s *Service) opRunJobFlow(ctx context.Context, in *runJobFlowInput) (*runJobFlowOutput, error) {
	region := s.regionOf(ctx)
	if in.Name == nil {
		return nil, errRequired("name")
	}
	if len(*in.Name) > maxNameLen {
		return nil, errConstraint("name", *in.Name, "Member must have length less than or equal to 256")
	}
	if in.Instances == nil {
		return nil, errRequired("instances")
	}
	if n := deref(in.StepConcurrencyLevel); n > 1 {
		return nil, errValidation("StepConcurrencyLevel %d is not supported: tarn runs the steps of a cluster one at a time.", n)
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	if in.LogUri != "" {
		if _, _, ok := parseS3(in.LogUri); !ok {
			return nil, errValidation("The LogUri %s is not valid: it must be an s3:// URI.", in.LogUri)
		}
	}
	if len(in.Steps) > maxActiveSteps {
		return nil, errValidation("Maximum number of active steps(State = 'Running', 'Pending' or 'Cancel_Pending') for cluster exceeded.")
	}
	for i := range in.Steps {
		if err := validStep(&in.Steps[i], "steps", i); err != nil {
			return nil, err
		}
	}
	boot, err := bootstrapCommands(in.BootstrapActions)
	if err != nil {
		return nil, err
	}
	now := s.now()
	groups, fleets, err := buildGroups(in.Instances, now)
	if err != nil {
		return nil, err
	}
	id := newID("j-")
	ins := in.Instances
	c := Cluster{Id: id, Name: *in.Name, ClusterArn: clusterArn(region, id),
		Status:                 ClusterStatus{State: stateStarting, Timeline: Timeline{CreationDateTime: ts(now)}},
		InstanceCollectionType: "INSTANCE_GROUP", LogUri: in.LogUri, ReleaseLabel: in.ReleaseLabel,
		RequestedAmiVersion: in.AmiVersion, OSReleaseLabel: in.OSReleaseLabel,
		AutoTerminate: !deref(ins.KeepJobFlowAliveWhenNoSteps), TerminationProtected: deref(ins.TerminationProtected),
		UnhealthyNodeReplacement: ins.UnhealthyNodeReplacement, VisibleToAllUsers: in.VisibleToAllUsers == nil || *in.VisibleToAllUsers,
		Applications: in.Applications, Tags: cloneTags(in.Tags), ServiceRole: in.ServiceRole, AutoScalingRole: in.AutoScalingRole,
		SecurityConfiguration: in.SecurityConfiguration, ScaleDownBehavior: in.ScaleDownBehavior, CustomAmiId: in.CustomAmiId,
		EbsRootVolumeSize: in.EbsRootVolumeSize, StepConcurrencyLevel: 1, Configurations: rawOrNil(in.Configurations),
		Ec2InstanceAttributes: ec2Attributes(ins, in.JobFlowRole, region)}
	if len(fleets) > 0 {
		c.InstanceCollectionType = "INSTANCE_FLEET"
	}
	rec := clusterRecord{Region: region, Cluster: c, Groups: groups, Fleets: fleets, Bootstrap: boot, NextStep: 1}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	rec.Seq = s.seq
	steps := make([]stepRecord, len(in.Steps))
	for i := range in.Steps {
		steps[i] = newStep(&in.Steps[i], rec.NextStep, now)
		rec.NextStep++
	}
	cl := s.clusterFor(region, id)
	if err := s.commit(cl, rec, steps...); err != nil {
		delete(s.clusters, mapKey(region, id))
		return nil, s.internal("RunJobFlow", err)
	}
	if s.started {
		s.spawn(cl)
	}
	return &runJobFlowOutput{JobFlowId: id, ClusterArn: c.ClusterArn}, nil
}

func ec2Attributes(in *JobFlowInstancesConfig, role, region string) *Ec2InstanceAttributes {
	a := &Ec2InstanceAttributes{Ec2KeyName: in.Ec2KeyName, Ec2SubnetId: in.Ec2SubnetId, RequestedEc2SubnetIds: in.Ec2SubnetIds,
		IamInstanceProfile: role, EmrManagedMasterSecurityGroup: in.EmrManagedMasterSecurityGroup,
		EmrManagedSlaveSecurityGroup: in.EmrManagedSlaveSecurityGroup, ServiceAccessSecurityGroup: in.ServiceAccessSecurityGroup,
		AdditionalMasterSecurityGroups: in.AdditionalMasterSecurityGroups, AdditionalSlaveSecurityGroups: in.AdditionalSlaveSecurityGroups,
		Ec2AvailabilityZone: region + "a"}
	if p := in.Placement; p != nil {
		a.RequestedEc2AvailabilityZones = p.AvailabilityZones
		if p.AvailabilityZone != "" {
			a.Ec2AvailabilityZone = p.AvailabilityZone
		} else if len(p.AvailabilityZones) > 0 {
			a.Ec2AvailabilityZone = p.AvailabilityZones[0]
		}
	}
	return a
}

type clusterIDInput struct {
	ClusterId *string `json:"ClusterId"`
	Marker    string  `json:"Marker"`
}

type describeClusterOutput struct {
	Cluster Cluster `json:"Cluster"`
}

// clusterOf returns a copy of the record of the request's cluster.
func (s *Service) clusterOf(ctx context.Context, id *string) (clusterRecord, error) {
	if id == nil {
		return clusterRecord{}, errRequired("clusterId")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(s.regionOf(ctx), *id)
	if c == nil {
		return clusterRecord{}, errClusterNotFound(*id)
	}
	return c.rec, nil
}

func (s *Service) opDescribeCluster(ctx context.Context, in *clusterIDInput) (*describeClusterOutput, error) {
	rec, err := s.clusterOf(ctx, in.ClusterId)
	if err != nil {
		return nil, err
	}
	return &describeClusterOutput{Cluster: rec.Cluster}, nil
}

type listClustersInput struct {
	ClusterStates []string           `json:"ClusterStates"`
	CreatedAfter  *awsjson.Timestamp `json:"CreatedAfter"`
	CreatedBefore *awsjson.Timestamp `json:"CreatedBefore"`
	Marker        string             `json:"Marker"`
}

type listClustersOutput struct {
	Clusters []ClusterSummary `json:"Clusters"`
	Marker   string           `json:"Marker,omitempty"`
}

// ListClusters answers newest first, 50 a page; the Marker is the Seq of
// the last cluster answered.
func (s *Service) opListClusters(ctx context.Context, in *listClustersInput) (*listClustersOutput, error) {
	want := map[string]bool{}
	for i, st := range in.ClusterStates {
		if !clusterStates[st] {
			return nil, errConstraint("clusterStates."+strconv.Itoa(i+1)+".member", st,
				"Member must satisfy enum value set: [STARTING, BOOTSTRAPPING, RUNNING, WAITING, TERMINATING, TERMINATED, TERMINATED_WITH_ERRORS]")
		}
		want[st] = true
	}
	after, err := decodeMarker(in.Marker, "c")
	if err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	var recs []clusterRecord
	for _, c := range s.clusters {
		if c.rec.Region == region && c.rec.Cluster.Id != "" {
			recs = append(recs, c.rec)
		}
	}
	s.mu.Unlock()
	sort.Slice(recs, func(i, j int) bool { return recs[i].Seq > recs[j].Seq })
	out := &listClustersOutput{Clusters: []ClusterSummary{}}
	var last int64
	for _, r := range recs {
		if after > 0 && r.Seq >= after {
			continue
		}
		c := r.Cluster
		created := c.Status.Timeline.CreationDateTime.Time()
		if len(want) > 0 && !want[c.Status.State] ||
			in.CreatedAfter != nil && created.Before(in.CreatedAfter.Time()) ||
			in.CreatedBefore != nil && created.After(in.CreatedBefore.Time()) {
			continue
		}
		if len(out.Clusters) == clustersPage {
			out.Marker = encodeMarker("c", last)
			break
		}
		last = r.Seq
		out.Clusters = append(out.Clusters, ClusterSummary{Id: c.Id, Name: c.Name, ClusterArn: c.ClusterArn,
			Status: c.Status, NormalizedInstanceHours: c.NormalizedInstanceHours})
	}
	return out, nil
}

// encodeMarker makes an opaque page marker for position n of a listing
// of kind ("c" clusters, "s" steps).
func encodeMarker(kind string, n int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte("emr1:" + kind + ":" + strconv.FormatInt(n, 10)))
}

// decodeMarker returns the position in a marker, 0 for none, and
// InvalidRequestException for a marker tarn did not make.
func decodeMarker(m, kind string) (int64, error) {
	if m == "" {
		return 0, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return 0, errBadMarker()
	}
	rest, ok := strings.CutPrefix(string(b), "emr1:"+kind+":")
	if !ok {
		return 0, errBadMarker()
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n <= 0 {
		return 0, errBadMarker()
	}
	return n, nil
}

// bootstrapCommands validates bootstrap actions and keeps them for
// ListBootstrapActions.
func bootstrapCommands(in []BootstrapActionConfig) ([]Command, error) {
	var out []Command
	for i, b := range in {
		f := "bootstrapActions." + strconv.Itoa(i+1) + ".member"
		if b.Name == nil {
			return nil, errRequired(f + ".name")
		}
		if b.ScriptBootstrapAction == nil || b.ScriptBootstrapAction.Path == nil {
			return nil, errRequired(f + ".scriptBootstrapAction.path")
		}
		args := b.ScriptBootstrapAction.Args
		if args == nil {
			args = []string{}
		}
		out = append(out, Command{Name: *b.Name, ScriptPath: *b.ScriptBootstrapAction.Path, Args: args})
	}
	return out, nil
}

type listBootstrapActionsOutput struct {
	BootstrapActions []Command `json:"BootstrapActions"`
}

// ListBootstrapActions answers the cluster's bootstrap actions in one
// page (awscli's describe-cluster calls it).
func (s *Service) opListBootstrapActions(ctx context.Context, in *clusterIDInput) (*listBootstrapActionsOutput, error) {
	rec, err := s.clusterOf(ctx, in.ClusterId)
	if err != nil {
		return nil, err
	}
	if in.Marker != "" {
		return nil, errBadMarker()
	}
	return &listBootstrapActionsOutput{BootstrapActions: append([]Command{}, rec.Bootstrap...)}, nil
}
