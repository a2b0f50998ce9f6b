package function

import (
	"net/http"
	"strconv"
)

// newVersion publishes rec.Latest as the next version number and returns it.
func (s *Service) newVersion(rec *record) version {
	v := rec.Latest
	v.Config.Version = strconv.Itoa(rec.NextVersion)
	v.Config.FunctionArn = rec.Latest.Config.FunctionArn + ":" + v.Config.Version
	v.Config.RevisionID = newID()
	rec.NextVersion++
	rec.Versions = append(rec.Versions, v)
	return v
}

func (s *Service) publishVersion(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		CodeSha256  string `json:"CodeSha256"`
		Description string `json:"Description"`
		RevisionID  string `json:"RevisionId"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	name, _, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	region := s.region(r.Context())
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.load(region, name)
	if err != nil {
		return err
	}
	if rec.Latest.Config.LastUpdateStatus == "InProgress" {
		return errConflict("The operation cannot be performed at this time. An update is in progress for resource: %s", rec.Latest.Config.FunctionArn)
	}
	if in.CodeSha256 != "" && in.CodeSha256 != rec.Latest.Config.CodeSha256 {
		return errInvalid("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.", in.CodeSha256, rec.Latest.Config.CodeSha256)
	}
	// AWS returns the existing version when nothing changed since it.
	if n := len(rec.Versions); n > 0 {
		last := rec.Versions[n-1]
		if last.Config.CodeSha256 == rec.Latest.Config.CodeSha256 && last.Config.LastModified == rec.Latest.Config.LastModified {
			writeJSON(w, http.StatusCreated, last.Config)
			return nil
		}
	}
	v := s.newVersion(rec)
	if in.Description != "" {
		rec.Versions[len(rec.Versions)-1].Config.Description = in.Description
		v.Config.Description = in.Description
	}
	if err := s.save(region, name, rec); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, v.Config)
	return nil
}

func (s *Service) listVersions(w http.ResponseWriter, r *http.Request) error {
	name, _, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	rec, err := s.load(s.region(r.Context()), name)
	if err != nil {
		return err
	}
	out := []Configuration{rec.Latest.Config}
	for _, v := range rec.Versions {
		out = append(out, v.Config)
	}
	writeJSON(w, http.StatusOK, map[string]any{"Versions": out})
	return nil
}

type aliasInput struct {
	Name            string  `json:"Name"`
	FunctionVersion *string `json:"FunctionVersion"`
	Description     *string `json:"Description"`
	RevisionID      string  `json:"RevisionId"`
	RoutingConfig   any     `json:"RoutingConfig"`
}

func (s *Service) checkVersion(region, name string, rec *record, ver string) error {
	if ver == "$LATEST" {
		return nil
	}
	for _, v := range rec.Versions {
		if v.Config.Version == ver {
			return nil
		}
	}
	return errNotFound("Function not found: %s:%s", s.arn(region, name), ver)
}

func (s *Service) createAlias(w http.ResponseWriter, r *http.Request) error {
	var in aliasInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.RoutingConfig != nil {
		return errInvalid("tarn: alias RoutingConfig (weighted versions) is not supported yet")
	}
	name, _, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	if in.Name == "" || in.FunctionVersion == nil {
		return errInvalid("Name and FunctionVersion are required")
	}
	if _, err := strconv.Atoi(in.Name); err == nil || in.Name == "$LATEST" {
		return errInvalid("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)", in.Name)
	}
	region := s.region(r.Context())
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.load(region, name)
	if err != nil {
		return err
	}
	arn := s.arn(region, name) + ":" + in.Name
	if _, ok := rec.Aliases[in.Name]; ok {
		return errConflict("Alias already exists: %s", arn)
	}
	if err := s.checkVersion(region, name, rec, *in.FunctionVersion); err != nil {
		return err
	}
	a := Alias{AliasArn: arn, Name: in.Name, FunctionVersion: *in.FunctionVersion, RevisionID: newID()}
	if in.Description != nil {
		a.Description = *in.Description
	}
	rec.Aliases[in.Name] = a
	if err := s.save(region, name, rec); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, a)
	return nil
}

func (s *Service) aliasOf(r *http.Request) (region, name string, rec *record, a Alias, err error) {
	name, _, err = parseName(r.PathValue("name"))
	if err != nil {
		return
	}
	region = s.region(r.Context())
	if rec, err = s.load(region, name); err != nil {
		return
	}
	an := r.PathValue("alias")
	a, ok := rec.Aliases[an]
	if !ok {
		err = errNotFound("Cannot find alias arn: %s:%s", s.arn(region, name), an)
	}
	return
}

func (s *Service) getAlias(w http.ResponseWriter, r *http.Request) error {
	_, _, _, a, err := s.aliasOf(r)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Service) updateAlias(w http.ResponseWriter, r *http.Request) error {
	var in aliasInput
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.RoutingConfig != nil {
		return errInvalid("tarn: alias RoutingConfig (weighted versions) is not supported yet")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	region, name, rec, a, err := s.aliasOf(r)
	if err != nil {
		return err
	}
	if in.RevisionID != "" && in.RevisionID != a.RevisionID {
		return errf("PreconditionFailedException", http.StatusPreconditionFailed,
			"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	if in.FunctionVersion != nil {
		if err := s.checkVersion(region, name, rec, *in.FunctionVersion); err != nil {
			return err
		}
		a.FunctionVersion = *in.FunctionVersion
	}
	if in.Description != nil {
		a.Description = *in.Description
	}
	a.RevisionID = newID()
	rec.Aliases[a.Name] = a
	if err := s.save(region, name, rec); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, a)
	return nil
}

func (s *Service) deleteAlias(w http.ResponseWriter, r *http.Request) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	region, name, rec, a, err := s.aliasOf(r)
	if err != nil {
		return err
	}
	delete(rec.Aliases, a.Name)
	if err := s.save(region, name, rec); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) listAliases(w http.ResponseWriter, r *http.Request) error {
	name, _, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	rec, err := s.load(s.region(r.Context()), name)
	if err != nil {
		return err
	}
	fv := r.URL.Query().Get("FunctionVersion")
	out := []Alias{}
	for _, a := range rec.Aliases {
		if fv == "" || a.FunctionVersion == fv {
			out = append(out, a)
		}
	}
	sortAliases(out)
	writeJSON(w, http.StatusOK, map[string]any{"Aliases": out})
	return nil
}
