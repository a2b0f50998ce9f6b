package emr

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// Cluster states and state-change reasons, as EMR names them.
const (
	stateStarting      = "STARTING"
	stateBootstrapping = "BOOTSTRAPPING"
	stateRunning       = "RUNNING"
	stateWaiting       = "WAITING"
	stateTerminating   = "TERMINATING"
	stateTerminated    = "TERMINATED"
	stateTerminatedErr = "TERMINATED_WITH_ERRORS"

	reasonUserRequest = "USER_REQUEST"
	reasonStepFailure = "STEP_FAILURE"
	reasonAllSteps    = "ALL_STEPS_COMPLETED"

	msgUserRequest     = "Terminated by user request"
	msgStepFailure     = "Shut down as step failed"
	msgStepsDone       = "Steps completed"
	msgStepsDoneErrors = "Steps completed with errors"
	msgBootstrapping   = "Running bootstrap actions"
	msgRunningStep     = "Running step"
	msgReady           = "Cluster ready to run steps."
	msgReadyAfterStep  = "Cluster ready after last step completed."
	msgReadyAfterFail  = "Cluster ready after last step failed."
)

var clusterStates = map[string]bool{stateStarting: true, stateBootstrapping: true, stateRunning: true,
	stateWaiting: true, stateTerminating: true, stateTerminated: true, stateTerminatedErr: true}

func terminal(state string) bool { return state == stateTerminated || state == stateTerminatedErr }

// ended is true once a cluster is shutting down or gone: it takes no new
// steps or settings.
func ended(state string) bool { return state == stateTerminating || terminal(state) }

func ts(t time.Time) *awsjson.Timestamp { v := awsjson.Timestamp(t); return &v }

// regionOf is the region a request is scoped to (its SigV4 credential
// scope), else Options.Region.
func (s *Service) regionOf(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.region)
}

func clusterArn(region, id string) string {
	return fmt.Sprintf("arn:aws:elasticmapreduce:%s:%s:cluster/%s", region, accountID, id)
}

// buildGroups turns the requested instances into instance groups (the
// MasterInstanceType/SlaveInstanceType/InstanceCount form becomes MASTER
// and CORE groups, as EMR does) or fleets.
func buildGroups(in *JobFlowInstancesConfig, now time.Time) ([]InstanceGroup, []InstanceFleet, error) {
	if len(in.InstanceGroups) > 0 && len(in.InstanceFleets) > 0 {
		return nil, nil, errValidation("Instance fleets and instance groups are mutually exclusive. Specify either InstanceGroups or InstanceFleets, not both.")
	}
	status := InstanceGroupStatus{State: "PROVISIONING", Timeline: Timeline{CreationDateTime: ts(now)}}
	var groups []InstanceGroup
	cfgs := in.InstanceGroups
	if len(cfgs) == 0 && len(in.InstanceFleets) == 0 && in.MasterInstanceType != "" {
		n := int32(1)
		if in.InstanceCount != nil {
			n = *in.InstanceCount
		}
		if n < 1 {
			return nil, nil, errConstraint("instances.instanceCount", n, "Member must have value greater than or equal to 1")
		}
		cfgs = []InstanceGroupConfig{{Name: "MASTER", InstanceRole: "MASTER", InstanceType: in.MasterInstanceType, InstanceCount: ptr(int32(1))}}
		if n > 1 {
			slave := in.SlaveInstanceType
			if slave == "" {
				slave = in.MasterInstanceType
			}
			cfgs = append(cfgs, InstanceGroupConfig{Name: "CORE", InstanceRole: "CORE", InstanceType: slave, InstanceCount: ptr(n - 1)})
		}
	}
	masters := 0
	for i, g := range cfgs {
		field := fmt.Sprintf("instances.instanceGroups.%d.member", i+1)
		switch g.InstanceRole {
		case "MASTER":
			masters++
		case "CORE", "TASK":
		case "":
			return nil, nil, errRequired(field + ".instanceRole")
		default:
			return nil, nil, errConstraint(field+".instanceRole", g.InstanceRole, "Member must satisfy enum value set: [MASTER, CORE, TASK]")
		}
		if g.InstanceType == "" {
			return nil, nil, errRequired(field + ".instanceType")
		}
		if g.InstanceCount == nil {
			return nil, nil, errRequired(field + ".instanceCount")
		}
		market := g.Market
		if market == "" {
			market = "ON_DEMAND"
		}
		if market != "ON_DEMAND" && market != "SPOT" {
			return nil, nil, errConstraint(field+".market", market, "Member must satisfy enum value set: [ON_DEMAND, SPOT]")
		}
		groups = append(groups, InstanceGroup{Id: newID("ig-"), Name: g.Name, Market: market, InstanceGroupType: g.InstanceRole,
			InstanceType: g.InstanceType, BidPrice: g.BidPrice, CustomAmiId: g.CustomAmiId,
			RequestedInstanceCount: *g.InstanceCount, Status: status, Configurations: g.Configurations})
	}
	if len(cfgs) > 0 && masters != 1 {
		return nil, nil, errValidation("Exactly one MASTER instance group is required; %d were given.", masters)
	}
	var fleets []InstanceFleet
	for i, f := range in.InstanceFleets {
		switch f.InstanceFleetType {
		case "MASTER", "CORE", "TASK":
		case "":
			return nil, nil, errRequired(fmt.Sprintf("instances.instanceFleets.%d.member.instanceFleetType", i+1))
		default:
			return nil, nil, errConstraint(fmt.Sprintf("instances.instanceFleets.%d.member.instanceFleetType", i+1),
				f.InstanceFleetType, "Member must satisfy enum value set: [MASTER, CORE, TASK]")
		}
		fleets = append(fleets, InstanceFleet{Id: newID("if-"), Name: f.Name, InstanceFleetType: f.InstanceFleetType,
			TargetOnDemandCapacity: deref(f.TargetOnDemandCapacity), TargetSpotCapacity: deref(f.TargetSpotCapacity),
			InstanceTypeSpecifications: f.InstanceTypeConfigs, LaunchSpecifications: f.LaunchSpecifications,
			ResizeSpecifications: f.ResizeSpecifications, Context: f.Context,
			Status: InstanceFleetStatus{State: "PROVISIONING", Timeline: Timeline{CreationDateTime: ts(now)}}})
	}
	return groups, fleets, nil
}

// withNodes returns rec with its instance groups and fleets in state
// (RUNNING brings them up, ENDED down), as fresh slices.
func withNodes(rec clusterRecord, state string, now time.Time) clusterRecord {
	groups := make([]InstanceGroup, len(rec.Groups))
	for i, g := range rec.Groups {
		g.Status.State = state
		switch state {
		case "RUNNING":
			g.RunningInstanceCount = g.RequestedInstanceCount
			g.Status.Timeline.ReadyDateTime = ts(now)
		case "ENDED":
			g.RunningInstanceCount = 0
			g.Status.Timeline.EndDateTime = ts(now)
			g.Status.StateChangeReason = StateChangeReason{Code: "CLUSTER_TERMINATED", Message: "Job flow terminated"}
		}
		groups[i] = g
	}
	fleets := make([]InstanceFleet, len(rec.Fleets))
	for i, f := range rec.Fleets {
		f.Status.State = state
		switch state {
		case "RUNNING":
			f.ProvisionedOnDemandCapacity, f.ProvisionedSpotCapacity = f.TargetOnDemandCapacity, f.TargetSpotCapacity
			f.Status.Timeline.ReadyDateTime = ts(now)
		case "ENDED":
			f.ProvisionedOnDemandCapacity, f.ProvisionedSpotCapacity = 0, 0
			f.Status.Timeline.EndDateTime = ts(now)
			f.Status.StateChangeReason = StateChangeReason{Code: "CLUSTER_TERMINATED", Message: "Job flow terminated"}
		}
		fleets[i] = f
	}
	rec.Groups, rec.Fleets = groups, fleets
	return rec
}

// withState returns rec in state with reason.
func withState(rec clusterRecord, state, code, msg string) clusterRecord {
	rec.Cluster.Status.State = state
	rec.Cluster.Status.StateChangeReason = StateChangeReason{Code: code, Message: msg}
	return rec
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// cloneTags copies tags so a record's slice is never shared.
func cloneTags(tags []Tag) []Tag { return append([]Tag(nil), tags...) }

// rawOrNil keeps a JSON member only when it holds something.
func rawOrNil(m json.RawMessage) json.RawMessage {
	if len(m) == 0 || string(m) == "null" {
		return nil
	}
	return m
}
