package sql

import (
	"context"
	"regexp"
	"strings"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// workGroupRecord is a stored work group.
type workGroupRecord struct {
	Name          string                 `json:"name"`
	State         string                 `json:"state"`
	Description   string                 `json:"description,omitempty"`
	Configuration workGroupConfiguration `json:"configuration"`
	Created       int64                  `json:"created"` // Unix ms
	Tags          []tag                  `json:"tags,omitempty"`
}

var workGroupName = regexp.MustCompile(`^[a-zA-Z0-9._-]{1,128}$`)

func wgKey(region, name string) string { return region + "/wg/" + name }

// workGroup returns the named work group; "primary" always exists.
func (s *Service) workGroup(region, name string) (*workGroupRecord, error) {
	wg := &workGroupRecord{}
	found, err := s.getJSON(wgKey(region, name), wg)
	if err != nil {
		return nil, err
	}
	if found {
		return wg, nil
	}
	if name != primaryWG {
		return nil, errWorkGroupNotFound(name)
	}
	wg = &workGroupRecord{Name: primaryWG, State: "ENABLED", Created: 0}
	t, f := true, false
	wg.Configuration.EnforceWorkGroupConfiguration = &f
	wg.Configuration.PublishCloudWatchMetricsEnabled = &f
	wg.Configuration.RequesterPaysEnabled = &f
	_ = t
	if s.opts.PrimaryOutputLocation != "" {
		wg.Configuration.ResultConfiguration = &resultConfiguration{OutputLocation: s.opts.PrimaryOutputLocation}
	}
	return wg, nil
}

func (w *workGroupRecord) shape() workGroupShape {
	c := w.Configuration
	c.EngineVersion = &engineVersion{SelectedEngineVersion: "AUTO", EffectiveEngineVersion: engineVersionV3}
	return workGroupShape{Name: w.Name, State: w.State, Description: w.Description, Configuration: c,
		CreationTime: awsjson.Timestamp(msTime(w.Created))}
}

func (s *Service) createWorkGroup(ctx context.Context, in *createWorkGroupInput) (*struct{}, error) {
	region := s.regionOf(ctx)
	if !workGroupName.MatchString(in.Name) {
		return nil, errValidation("name", in.Name, "Member must satisfy regular expression pattern: [a-zA-Z0-9._-]{1,128}")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.workGroup(region, in.Name); err == nil {
		return nil, errWorkGroupExists()
	}
	wg := &workGroupRecord{Name: in.Name, State: "ENABLED", Description: in.Description, Created: s.now().UnixMilli(), Tags: in.Tags}
	if in.Configuration != nil {
		wg.Configuration = *in.Configuration
		wg.Configuration.EngineVersion = nil
	}
	if rc := wg.Configuration.ResultConfiguration; rc != nil && rc.OutputLocation != "" {
		if _, _, err := parseS3(rc.OutputLocation); err != nil {
			return nil, errInvalid("outputLocation is not a valid S3 path: %s", rc.OutputLocation)
		}
	}
	return &struct{}{}, s.setJSON(wgKey(region, in.Name), wg)
}

func (s *Service) getWorkGroup(ctx context.Context, in *workGroupNameInput) (*getWorkGroupOutput, error) {
	wg, err := s.workGroup(s.regionOf(ctx), in.WorkGroup)
	if err != nil {
		return nil, err
	}
	return &getWorkGroupOutput{WorkGroup: wg.shape()}, nil
}

func (s *Service) listWorkGroups(ctx context.Context, in *pageInput) (*listWorkGroupsOutput, error) {
	region := s.regionOf(ctx)
	max := in.MaxResults
	if max == 0 {
		max = 50
	}
	if max < 0 || max > 50 {
		return nil, errValidation("maxResults", max, "Member must have value less than or equal to 50")
	}
	var all []workGroupRecord
	primary, _ := s.workGroup(region, primaryWG)
	all = append(all, *primary)
	err := s.scan(region+"/wg/", func(key string, v []byte) (bool, error) {
		wg := workGroupRecord{}
		if err := jsonUnmarshal(v, &wg); err != nil {
			return false, err
		}
		if wg.Name != primaryWG {
			all = append(all, wg)
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	start, err := pageStart(in.NextToken, "wg")
	if err != nil {
		return nil, err
	}
	out := &listWorkGroupsOutput{WorkGroups: []workGroupSummary{}}
	for i := start; i < len(all); i++ {
		if len(out.WorkGroups) == max {
			out.NextToken = pageToken("wg", i)
			break
		}
		w := all[i]
		out.WorkGroups = append(out.WorkGroups, workGroupSummary{Name: w.Name, State: w.State, Description: w.Description,
			CreationTime:  awsjson.Timestamp(msTime(w.Created)),
			EngineVersion: engineVersion{SelectedEngineVersion: "AUTO", EffectiveEngineVersion: engineVersionV3}})
	}
	return out, nil
}

func (s *Service) updateWorkGroup(ctx context.Context, in *updateWorkGroupInput) (*struct{}, error) {
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	wg, err := s.workGroup(region, in.WorkGroup)
	if err != nil {
		return nil, err
	}
	if in.Description != nil {
		wg.Description = *in.Description
	}
	switch in.State {
	case "":
	case "ENABLED", "DISABLED":
		wg.State = in.State
	default:
		return nil, errValidation("state", in.State, "Member must satisfy enum value set: [ENABLED, DISABLED]")
	}
	if u := in.ConfigurationUpdates; u != nil {
		c := &wg.Configuration
		if r := u.ResultConfigurationUpdates; r != nil {
			if r.RemoveOutputLocation != nil && *r.RemoveOutputLocation {
				c.ResultConfiguration = nil
			} else if r.OutputLocation != nil {
				if _, _, err := parseS3(*r.OutputLocation); err != nil {
					return nil, errInvalid("outputLocation is not a valid S3 path: %s", *r.OutputLocation)
				}
				c.ResultConfiguration = &resultConfiguration{OutputLocation: *r.OutputLocation}
			}
		}
		if u.EnforceWorkGroupConfiguration != nil {
			c.EnforceWorkGroupConfiguration = u.EnforceWorkGroupConfiguration
		}
		if u.PublishCloudWatchMetricsEnabled != nil {
			c.PublishCloudWatchMetricsEnabled = u.PublishCloudWatchMetricsEnabled
		}
		if u.RequesterPaysEnabled != nil {
			c.RequesterPaysEnabled = u.RequesterPaysEnabled
		}
		if u.BytesScannedCutoffPerQuery != nil {
			c.BytesScannedCutoffPerQuery = u.BytesScannedCutoffPerQuery
		}
		if u.RemoveBytesScannedCutoffPerQuery != nil && *u.RemoveBytesScannedCutoffPerQuery {
			c.BytesScannedCutoffPerQuery = nil
		}
	}
	return &struct{}{}, s.setJSON(wgKey(region, wg.Name), wg)
}

func (s *Service) deleteWorkGroup(ctx context.Context, in *workGroupNameInput) (*struct{}, error) {
	region := s.regionOf(ctx)
	if in.WorkGroup == primaryWG {
		return nil, errInvalid("Cannot delete the primary workgroup")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.workGroup(region, in.WorkGroup); err != nil {
		return nil, err
	}
	if !in.RecursiveDeleteOption {
		nonEmpty := false
		_ = s.scan(region+"/nq/", func(_ string, v []byte) (bool, error) {
			nq := namedQueryShape{}
			if jsonUnmarshal(v, &nq) == nil && nq.WorkGroup == in.WorkGroup {
				nonEmpty = true
				return false, nil
			}
			return true, nil
		})
		if nonEmpty {
			return nil, errInvalid("WorkGroup %s is not empty", in.WorkGroup)
		}
	}
	return &struct{}{}, s.meta.Delete([]byte(wgKey(region, in.WorkGroup)))
}

// pageStart decodes an index token of kind.
func pageStart(tok, kind string) (int, error) {
	if tok == "" {
		return 0, nil
	}
	k, err := decodeToken(tok)
	rest, ok := strings.CutPrefix(k, kind+"#")
	if err != nil || !ok {
		return 0, errBadToken()
	}
	n := 0
	for _, c := range rest {
		if c < '0' || c > '9' {
			return 0, errBadToken()
		}
		n = n*10 + int(c-'0')
	}
	return n, nil
}

func pageToken(kind string, i int) string {
	return encodeToken(kind + "#" + itoa(i))
}
