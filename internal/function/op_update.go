package function

import (
	"net/http"
	"path/filepath"
	"strconv"
)

func (s *Service) funcDir(region, name string) string { return filepath.Join(s.dir, region, name) }

func (s *Service) listFunctions(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	max := 50
	if m := q.Get("MaxItems"); m != "" {
		n, err := strconv.Atoi(m)
		if err != nil || n < 1 || n > 10000 {
			return errInvalid("1 validation error detected: Value '%s' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1", m)
		}
		max = n
	}
	recs, err := s.list(s.region(r.Context()))
	if err != nil {
		return err
	}
	marker := q.Get("Marker")
	out := []Configuration{}
	next := ""
	for _, rec := range recs {
		if marker != "" && rec.Latest.Config.FunctionName <= marker {
			continue
		}
		if len(out) == max {
			next = out[len(out)-1].FunctionName
			break
		}
		out = append(out, rec.Latest.Config)
	}
	resp := map[string]any{"Functions": out}
	if next != "" {
		resp["NextMarker"] = next
	}
	writeJSON(w, http.StatusOK, resp)
	return nil
}

type updateCodeInput struct {
	ZipFile         []byte `json:"ZipFile"`
	S3Bucket        string `json:"S3Bucket"`
	S3Key           string `json:"S3Key"`
	S3ObjectVersion string `json:"S3ObjectVersion"`
	ImageURI        string `json:"ImageUri"`
	Publish         bool   `json:"Publish"`
	RevisionID      string `json:"RevisionId"`
}

func (s *Service) updateFunctionCode(w http.ResponseWriter, r *http.Request) error {
	var in updateCodeInput
	if err := decode(r, &in); err != nil {
		return err
	}
	name, _, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	zipBytes, err := s.zipOf(r.Context(), codeInput{ZipFile: in.ZipFile, S3Bucket: in.S3Bucket,
		S3Key: in.S3Key, S3ObjectVersion: in.S3ObjectVersion, ImageURI: in.ImageURI})
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
	if in.RevisionID != "" && in.RevisionID != rec.Latest.Config.RevisionID {
		return errf("PreconditionFailedException", http.StatusPreconditionFailed,
			"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	v, sha, err := s.unpack(region, name, zipBytes)
	if err != nil {
		return err
	}
	cfg := rec.Latest.Config
	cfg.CodeSha256, cfg.CodeSize = sha, int64(len(zipBytes))
	v.Config = s.touch(cfg)
	rec.Latest = v
	out := v.Config
	if in.Publish {
		out = s.newVersion(rec).Config
	}
	if err := s.save(region, name, rec); err != nil {
		return err
	}
	s.pools.dropVersion(region, name, "$LATEST")
	s.settleLater(region, name)
	writeJSON(w, http.StatusOK, out)
	return nil
}

// touch marks cfg as updated: new revision, LastModified, InProgress.
func (s *Service) touch(cfg Configuration) Configuration {
	cfg.LastModified = s.now().UTC().Format(lastModifiedForm)
	cfg.RevisionID = newID()
	cfg.LastUpdateStatus, cfg.LastUpdateReason = "InProgress", "The function is being created."
	return cfg
}

type updateConfigInput struct {
	Role        *string   `json:"Role"`
	Handler     *string   `json:"Handler"`
	Description *string   `json:"Description"`
	Timeout     *int32    `json:"Timeout"`
	MemorySize  *int32    `json:"MemorySize"`
	Environment *envShape `json:"Environment"`
	Runtime     *string   `json:"Runtime"`
	RevisionID  string    `json:"RevisionId"`
	// DeadLetterConfig: a TargetArn is refused (tarn runs no SQS/SNS);
	// "" clears it, which is always the state.
	DeadLetterConfig *deadLetterConfig `json:"DeadLetterConfig"`
}

func (s *Service) updateFunctionConfiguration(w http.ResponseWriter, r *http.Request) error {
	var in updateConfigInput
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
	cfg := rec.Latest.Config
	if in.RevisionID != "" && in.RevisionID != cfg.RevisionID {
		return errf("PreconditionFailedException", http.StatusPreconditionFailed,
			"The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	if in.Runtime != nil {
		if err := checkRuntime(*in.Runtime); err != nil {
			return err
		}
		cfg.Runtime = *in.Runtime
	}
	if in.Role != nil {
		cfg.Role = *in.Role
	}
	if in.Handler != nil {
		cfg.Handler = *in.Handler
	}
	if in.Description != nil {
		cfg.Description = *in.Description
	}
	if in.Timeout != nil {
		cfg.Timeout = *in.Timeout
	}
	if in.MemorySize != nil {
		cfg.MemorySize = *in.MemorySize
	}
	if err := checkLimits(cfg.Timeout, cfg.MemorySize); err != nil {
		return err
	}
	if err := checkEnv(in.Environment); err != nil {
		return err
	}
	if err := checkDeadLetter(in.DeadLetterConfig); err != nil {
		return err
	}
	if in.Environment != nil {
		cfg.Environment = &envShape{Variables: in.Environment.Variables}
		if len(in.Environment.Variables) == 0 {
			cfg.Environment = nil
		}
	}
	rec.Latest.Config = s.touch(cfg)
	if err := s.save(region, name, rec); err != nil {
		return err
	}
	s.pools.dropVersion(region, name, "$LATEST")
	s.settleLater(region, name)
	writeJSON(w, http.StatusOK, rec.Latest.Config)
	return nil
}
