package emr

import (
	"context"
)

type jobFlowIDsInput struct {
	JobFlowIds                  []string `json:"JobFlowIds"`
	TerminationProtected        *bool    `json:"TerminationProtected"`
	KeepJobFlowAliveWhenNoSteps *bool    `json:"KeepJobFlowAliveWhenNoSteps"`
	VisibleToAllUsers           *bool    `json:"VisibleToAllUsers"`
}

// jobFlows resolves ids to clusters; called with s.mu held.
func (s *Service) jobFlows(region string, ids []string) ([]*cluster, error) {
	if ids == nil {
		return nil, errRequired("jobFlowIds")
	}
	out := make([]*cluster, 0, len(ids))
	for _, id := range ids {
		c := s.lookup(region, id)
		if c == nil {
			return nil, errJobFlowNotFound(id)
		}
		out = append(out, c)
	}
	return out, nil
}

// TerminateJobFlows refuses the whole call when any cluster is
// termination protected (as EMR does); otherwise each live cluster goes
// TERMINATING (USER_REQUEST) and its runner cancels the running step and
// the pending ones and ends it TERMINATED.
func (s *Service) opTerminateJobFlows(ctx context.Context, in *jobFlowIDsInput) (*struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, err := s.jobFlows(s.regionOf(ctx), in.JobFlowIds)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.rec.Cluster.TerminationProtected && !ended(c.rec.Cluster.Status.State) {
			return nil, errValidation("Could not shut down one or more job flows since they are termination protected.")
		}
	}
	for _, c := range cs {
		if ended(c.rec.Cluster.Status.State) {
			continue
		}
		rec := withState(c.rec, stateTerminating, reasonUserRequest, msgUserRequest)
		if err := s.commit(c, rec); err != nil {
			return nil, s.internal("TerminateJobFlows", err)
		}
		if c.run != nil {
			c.run.why = "terminate"
			c.run.cancel()
		}
		c.nudge()
	}
	return nil, nil
}

// setFlag applies set to each cluster of ids (none may have ended).
func (s *Service) setFlag(ctx context.Context, op string, ids []string, set func(*clusterRecord)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cs, err := s.jobFlows(s.regionOf(ctx), ids)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if ended(c.rec.Cluster.Status.State) {
			return errFinished()
		}
	}
	for _, c := range cs {
		rec := c.rec
		set(&rec)
		if err := s.commit(c, rec); err != nil {
			return s.internal(op, err)
		}
		c.nudge()
	}
	return nil
}

func (s *Service) opSetTerminationProtection(ctx context.Context, in *jobFlowIDsInput) (*struct{}, error) {
	if in.TerminationProtected == nil {
		return nil, errRequired("terminationProtected")
	}
	return nil, s.setFlag(ctx, "SetTerminationProtection", in.JobFlowIds, func(r *clusterRecord) {
		r.Cluster.TerminationProtected = *in.TerminationProtected
	})
}

func (s *Service) opSetKeepAlive(ctx context.Context, in *jobFlowIDsInput) (*struct{}, error) {
	if in.KeepJobFlowAliveWhenNoSteps == nil {
		return nil, errRequired("keepJobFlowAliveWhenNoSteps")
	}
	return nil, s.setFlag(ctx, "SetKeepJobFlowAliveWhenNoSteps", in.JobFlowIds, func(r *clusterRecord) {
		r.Cluster.AutoTerminate = !*in.KeepJobFlowAliveWhenNoSteps
	})
}

func (s *Service) opSetVisibleToAllUsers(ctx context.Context, in *jobFlowIDsInput) (*struct{}, error) {
	if in.VisibleToAllUsers == nil {
		return nil, errRequired("visibleToAllUsers")
	}
	return nil, s.setFlag(ctx, "SetVisibleToAllUsers", in.JobFlowIds, func(r *clusterRecord) {
		r.Cluster.VisibleToAllUsers = *in.VisibleToAllUsers
	})
}

type listInstanceGroupsOutput struct {
	InstanceGroups []InstanceGroup `json:"InstanceGroups"`
}

type listInstanceFleetsOutput struct {
	InstanceFleets []InstanceFleet `json:"InstanceFleets"`
}

// ListInstanceGroups answers every group in one page (EMR pages at 50; a
// cluster has at most 50 groups).
func (s *Service) opListInstanceGroups(ctx context.Context, in *clusterIDInput) (*listInstanceGroupsOutput, error) {
	rec, err := s.clusterOf(ctx, in.ClusterId)
	if err != nil {
		return nil, err
	}
	if in.Marker != "" {
		return nil, errBadMarker()
	}
	if rec.Cluster.InstanceCollectionType == "INSTANCE_FLEET" {
		return nil, errInvalidRequest("API_DOES_NOT_SUPPORT_INSTANCE_FLEET_CLUSTERS", "Instance fleets and instance groups are mutually exclusive. The EMR cluster specified in the request uses instance fleets. The ListInstanceGroups operation does not support clusters that use instance fleets. Use the ListInstanceFleets operation instead.")
	}
	return &listInstanceGroupsOutput{InstanceGroups: append([]InstanceGroup{}, rec.Groups...)}, nil
}

func (s *Service) opListInstanceFleets(ctx context.Context, in *clusterIDInput) (*listInstanceFleetsOutput, error) {
	rec, err := s.clusterOf(ctx, in.ClusterId)
	if err != nil {
		return nil, err
	}
	if in.Marker != "" {
		return nil, errBadMarker()
	}
	if rec.Cluster.InstanceCollectionType != "INSTANCE_FLEET" {
		return nil, errInvalidRequest("API_DOES_NOT_SUPPORT_INSTANCE_GROUP_CLUSTERS", "Instance fleets and instance groups are mutually exclusive. The EMR cluster specified in the request uses instance groups. The ListInstanceFleets operation does not support clusters that use instance groups. Use the ListInstanceGroups operation instead.")
	}
	return &listInstanceFleetsOutput{InstanceFleets: append([]InstanceFleet{}, rec.Fleets...)}, nil
}

type tagsInput struct {
	ResourceId *string  `json:"ResourceId"`
	Tags       []Tag    `json:"Tags"`
	TagKeys    []string `json:"TagKeys"`
}

const maxTags = 50

func validTags(tags []Tag) error {
	if len(tags) > maxTags {
		return errInvalidRequest("", "Tag limit exceeded: a cluster may have at most %d tags.", maxTags)
	}
	for i, t := range tags {
		if t.Key == "" {
			return errInvalidRequest("", "Tag %d has an empty key.", i+1)
		}
		if len(t.Key) > 128 || len(t.Value) > 256 {
			return errInvalidRequest("", "Tag %q is too long: keys have at most 128 characters, values 256.", t.Key)
		}
	}
	return nil
}

// tagCluster applies edit to the tags of the cluster named by
// ResourceId; a cluster that ended keeps its tags as they are.
func (s *Service) tagCluster(ctx context.Context, op string, id *string, edit func([]Tag) []Tag) error {
	if id == nil {
		return errRequired("resourceId")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(s.regionOf(ctx), *id)
	if c == nil {
		return errInvalidRequest("", "Resource id '%s' is not valid.", *id)
	}
	rec := c.rec
	rec.Cluster.Tags = edit(cloneTags(rec.Cluster.Tags))
	if err := validTags(rec.Cluster.Tags); err != nil {
		return err
	}
	if err := s.commit(c, rec); err != nil {
		return s.internal(op, err)
	}
	return nil
}

func (s *Service) opAddTags(ctx context.Context, in *tagsInput) (*struct{}, error) {
	if in.Tags == nil {
		return nil, errRequired("tags")
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	return nil, s.tagCluster(ctx, "AddTags", in.ResourceId, func(tags []Tag) []Tag {
		for _, t := range in.Tags {
			found := false
			for i := range tags {
				if tags[i].Key == t.Key {
					tags[i].Value, found = t.Value, true
				}
			}
			if !found {
				tags = append(tags, t)
			}
		}
		return tags
	})
}

func (s *Service) opRemoveTags(ctx context.Context, in *tagsInput) (*struct{}, error) {
	if in.TagKeys == nil {
		return nil, errRequired("tagKeys")
	}
	drop := map[string]bool{}
	for _, k := range in.TagKeys {
		drop[k] = true
	}
	return nil, s.tagCluster(ctx, "RemoveTags", in.ResourceId, func(tags []Tag) []Tag {
		out := tags[:0]
		for _, t := range tags {
			if !drop[t.Key] {
				out = append(out, t)
			}
		}
		return out
	})
}
