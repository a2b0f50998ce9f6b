package emr

import (
	"context"
	"maps"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// DescribeJobFlows is EMR's deprecated description of clusters, kept for
// older clients: the same records rendered in the JobFlowDetail shapes.

const (
	maxJobFlows      = 512
	jobFlowWindow    = 61 * 24 * time.Hour // "the last two months"
	jobFlowDoneRange = 14 * 24 * time.Hour // "the last two weeks"
)

var jobFlowStates = map[string]bool{"STARTING": true, "BOOTSTRAPPING": true, "RUNNING": true, "WAITING": true,
	"SHUTTING_DOWN": true, "TERMINATED": true, "COMPLETED": true, "FAILED": true}

type describeJobFlowsInput struct {
	JobFlowIds    []string           `json:"JobFlowIds"`
	JobFlowStates []string           `json:"JobFlowStates"`
	CreatedAfter  *awsjson.Timestamp `json:"CreatedAfter"`
	CreatedBefore *awsjson.Timestamp `json:"CreatedBefore"`
}

type jobFlowStatus struct {
	State                 string             `json:"State"`
	CreationDateTime      *awsjson.Timestamp `json:"CreationDateTime,omitempty"`
	StartDateTime         *awsjson.Timestamp `json:"StartDateTime,omitempty"`
	ReadyDateTime         *awsjson.Timestamp `json:"ReadyDateTime,omitempty"`
	EndDateTime           *awsjson.Timestamp `json:"EndDateTime,omitempty"`
	LastStateChangeReason string             `json:"LastStateChangeReason,omitempty"`
}

type instanceGroupDetail struct {
	InstanceGroupId       string             `json:"InstanceGroupId"`
	Name                  string             `json:"Name,omitempty"`
	Market                string             `json:"Market"`
	InstanceRole          string             `json:"InstanceRole"`
	InstanceType          string             `json:"InstanceType"`
	BidPrice              string             `json:"BidPrice,omitempty"`
	InstanceRequestCount  int32              `json:"InstanceRequestCount"`
	InstanceRunningCount  int32              `json:"InstanceRunningCount"`
	State                 string             `json:"State"`
	LastStateChangeReason string             `json:"LastStateChangeReason,omitempty"`
	CreationDateTime      *awsjson.Timestamp `json:"CreationDateTime,omitempty"`
	StartDateTime         *awsjson.Timestamp `json:"StartDateTime,omitempty"`
	ReadyDateTime         *awsjson.Timestamp `json:"ReadyDateTime,omitempty"`
	EndDateTime           *awsjson.Timestamp `json:"EndDateTime,omitempty"`
}

type jobFlowInstances struct {
	MasterInstanceType          string                `json:"MasterInstanceType,omitempty"`
	SlaveInstanceType           string                `json:"SlaveInstanceType,omitempty"`
	InstanceCount               int32                 `json:"InstanceCount"`
	InstanceGroups              []instanceGroupDetail `json:"InstanceGroups"`
	NormalizedInstanceHours     int32                 `json:"NormalizedInstanceHours"`
	Ec2KeyName                  string                `json:"Ec2KeyName,omitempty"`
	Ec2SubnetId                 string                `json:"Ec2SubnetId,omitempty"`
	Placement                   *Placement            `json:"Placement,omitempty"`
	KeepJobFlowAliveWhenNoSteps bool                  `json:"KeepJobFlowAliveWhenNoSteps"`
	TerminationProtected        bool                  `json:"TerminationProtected"`
}

type stepDetail struct {
	StepConfig            StepConfig    `json:"StepConfig"`
	ExecutionStatusDetail jobFlowStatus `json:"ExecutionStatusDetail"`
}

type bootstrapActionDetail struct {
	BootstrapActionConfig bootstrapConfigOut `json:"BootstrapActionConfig"`
}

type bootstrapConfigOut struct {
	Name                  string `json:"Name"`
	ScriptBootstrapAction struct {
		Path string   `json:"Path"`
		Args []string `json:"Args"`
	} `json:"ScriptBootstrapAction"`
}

type jobFlowDetail struct {
	JobFlowId             string                  `json:"JobFlowId"`
	Name                  string                  `json:"Name"`
	LogUri                string                  `json:"LogUri,omitempty"`
	AmiVersion            string                  `json:"AmiVersion,omitempty"`
	ExecutionStatusDetail jobFlowStatus           `json:"ExecutionStatusDetail"`
	Instances             jobFlowInstances        `json:"Instances"`
	Steps                 []stepDetail            `json:"Steps"`
	BootstrapActions      []bootstrapActionDetail `json:"BootstrapActions"`
	SupportedProducts     []string                `json:"SupportedProducts"`
	VisibleToAllUsers     bool                    `json:"VisibleToAllUsers"`
	JobFlowRole           string                  `json:"JobFlowRole,omitempty"`
	ServiceRole           string                  `json:"ServiceRole,omitempty"`
	AutoScalingRole       string                  `json:"AutoScalingRole,omitempty"`
	ScaleDownBehavior     string                  `json:"ScaleDownBehavior,omitempty"`
}

type describeJobFlowsOutput struct {
	JobFlows []jobFlowDetail `json:"JobFlows"`
}

// jobFlowState maps a cluster state to the JobFlowExecutionState.
func jobFlowState(c Cluster) string {
	switch c.Status.State {
	case stateTerminating:
		return "SHUTTING_DOWN"
	case stateTerminatedErr:
		return "FAILED"
	case stateTerminated:
		if c.Status.StateChangeReason.Code == reasonAllSteps {
			return "COMPLETED"
		}
		return "TERMINATED"
	}
	return c.Status.State
}

// DescribeJobFlows filters as EMR does: only job flows created in the
// last two months; with no filter at all, those still live plus those
// that ended in the last two weeks; at most 512, oldest first.
func (s *Service) opDescribeJobFlows(ctx context.Context, in *describeJobFlowsInput) (*describeJobFlowsOutput, error) {
	states := map[string]bool{}
	for i, st := range in.JobFlowStates {
		if !jobFlowStates[st] {
			return nil, errConstraint("jobFlowStates."+strconv.Itoa(i+1)+".member", st,
				"Member must satisfy enum value set: [STARTING, BOOTSTRAPPING, RUNNING, WAITING, SHUTTING_DOWN, TERMINATED, COMPLETED, FAILED]")
		}
		states[st] = true
	}
	ids := map[string]bool{}
	for _, id := range in.JobFlowIds {
		ids[id] = true
	}
	noFilter := len(states) == 0 && len(ids) == 0 && in.CreatedAfter == nil && in.CreatedBefore == nil
	now := s.now()
	region := s.regionOf(ctx)
	type entry struct {
		rec   clusterRecord
		steps []stepRecord
	}
	var found []entry
	s.mu.Lock()
	for _, c := range s.clusters {
		if c.rec.Region != region || c.rec.Cluster.Id == "" {
			continue
		}
		e := entry{rec: c.rec}
		for _, st := range c.steps {
			e.steps = append(e.steps, *st)
		}
		found = append(found, e)
	}
	s.mu.Unlock()
	sort.Slice(found, func(i, j int) bool { return found[i].rec.Seq < found[j].rec.Seq })
	out := &describeJobFlowsOutput{JobFlows: []jobFlowDetail{}}
	for _, e := range found {
		c := e.rec.Cluster
		created := c.Status.Timeline.CreationDateTime.Time()
		end := c.Status.Timeline.EndDateTime
		switch {
		case now.Sub(created) > jobFlowWindow,
			len(ids) > 0 && !ids[c.Id],
			len(states) > 0 && !states[jobFlowState(c)],
			in.CreatedAfter != nil && created.Before(in.CreatedAfter.Time()),
			in.CreatedBefore != nil && created.After(in.CreatedBefore.Time()),
			noFilter && end != nil && now.Sub(end.Time()) > jobFlowDoneRange:
			continue
		}
		if len(out.JobFlows) == maxJobFlows {
			break
		}
		out.JobFlows = append(out.JobFlows, jobFlow(e.rec, e.steps))
	}
	return out, nil
}

func jobFlow(rec clusterRecord, steps []stepRecord) jobFlowDetail {
	c := rec.Cluster
	tl := c.Status.Timeline
	d := jobFlowDetail{JobFlowId: c.Id, Name: c.Name, LogUri: c.LogUri, AmiVersion: c.RequestedAmiVersion,
		ExecutionStatusDetail: jobFlowStatus{State: jobFlowState(c), CreationDateTime: tl.CreationDateTime,
			StartDateTime: tl.ReadyDateTime, ReadyDateTime: tl.ReadyDateTime, EndDateTime: tl.EndDateTime,
			LastStateChangeReason: c.Status.StateChangeReason.Message},
		Steps: []stepDetail{}, BootstrapActions: []bootstrapActionDetail{}, SupportedProducts: []string{},
		VisibleToAllUsers: c.VisibleToAllUsers, ServiceRole: c.ServiceRole, AutoScalingRole: c.AutoScalingRole,
		ScaleDownBehavior: c.ScaleDownBehavior}
	ins := jobFlowInstances{InstanceGroups: []instanceGroupDetail{}, KeepJobFlowAliveWhenNoSteps: !c.AutoTerminate,
		TerminationProtected: c.TerminationProtected}
	if a := c.Ec2InstanceAttributes; a != nil {
		d.JobFlowRole = a.IamInstanceProfile
		ins.Ec2KeyName, ins.Ec2SubnetId = a.Ec2KeyName, a.Ec2SubnetId
		ins.Placement = &Placement{AvailabilityZone: a.Ec2AvailabilityZone}
	}
	for _, g := range rec.Groups {
		ins.InstanceCount += g.RequestedInstanceCount
		switch g.InstanceGroupType {
		case "MASTER":
			ins.MasterInstanceType = g.InstanceType
		case "CORE":
			ins.SlaveInstanceType = g.InstanceType
		}
		gt := g.Status.Timeline
		ins.InstanceGroups = append(ins.InstanceGroups, instanceGroupDetail{InstanceGroupId: g.Id, Name: g.Name, Market: g.Market,
			InstanceRole: g.InstanceGroupType, InstanceType: g.InstanceType, BidPrice: g.BidPrice,
			InstanceRequestCount: g.RequestedInstanceCount, InstanceRunningCount: g.RunningInstanceCount, State: g.Status.State,
			LastStateChangeReason: g.Status.StateChangeReason.Message, CreationDateTime: gt.CreationDateTime,
			StartDateTime: gt.ReadyDateTime, ReadyDateTime: gt.ReadyDateTime, EndDateTime: gt.EndDateTime})
	}
	d.Instances = ins
	for _, st := range steps {
		sc := st.Step.Config
		jar := sc.Jar
		hj := &HadoopJarStepConfig{Jar: &jar, Args: sc.Args, MainClass: sc.MainClass}
		for _, k := range slices.Sorted(maps.Keys(sc.Properties)) {
			hj.Properties = append(hj.Properties, KeyValue{Key: k, Value: sc.Properties[k]})
		}
		name := st.Step.Name
		stl := st.Step.Status.Timeline
		d.Steps = append(d.Steps, stepDetail{
			StepConfig: StepConfig{Name: &name, ActionOnFailure: st.Step.ActionOnFailure, HadoopJarStep: hj},
			ExecutionStatusDetail: jobFlowStatus{State: st.Step.Status.State, CreationDateTime: stl.CreationDateTime,
				StartDateTime: stl.StartDateTime, EndDateTime: stl.EndDateTime}})
	}
	for _, b := range rec.Bootstrap {
		var bc bootstrapConfigOut
		bc.Name, bc.ScriptBootstrapAction.Path, bc.ScriptBootstrapAction.Args = b.Name, b.ScriptPath, b.Args
		d.BootstrapActions = append(d.BootstrapActions, bootstrapActionDetail{BootstrapActionConfig: bc})
	}
	return d
}
