package function

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
)

type codeInput struct {
	ZipFile         []byte `json:"ZipFile"`
	S3Bucket        string `json:"S3Bucket"`
	S3Key           string `json:"S3Key"`
	S3ObjectVersion string `json:"S3ObjectVersion"`
	ImageURI        string `json:"ImageUri"`
}

type createInput struct {
	FunctionName  string            `json:"FunctionName"`
	Runtime       string            `json:"Runtime"`
	Role          string            `json:"Role"`
	Handler       string            `json:"Handler"`
	Code          codeInput         `json:"Code"`
	Description   string            `json:"Description"`
	Timeout       *int32            `json:"Timeout"`
	MemorySize    *int32            `json:"MemorySize"`
	Publish       bool              `json:"Publish"`
	Environment   *envShape         `json:"Environment"`
	PackageType   string            `json:"PackageType"`
	Tags          map[string]string `json:"Tags"`
	Architectures []string          `json:"Architectures"`
	// DeadLetterConfig: tarn runs no SQS/SNS, so a TargetArn is refused.
	DeadLetterConfig *deadLetterConfig `json:"DeadLetterConfig"`
}

func decode(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	if err != nil {
		return errInvalid("could not read request body")
	}
	if len(b) > maxRequestBody {
		return errf("RequestEntityTooLargeException", http.StatusRequestEntityTooLarge,
			"Request must be smaller than %d bytes for the %s operation", maxRequestBody, opName(r))
	}
	if len(b) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errf("InvalidRequestContentException", http.StatusBadRequest, "Could not parse request body into json: %v", err)
	}
	return nil
}

// zipOf returns the deployment package bytes of c.
func (s *Service) zipOf(ctx context.Context, c codeInput) ([]byte, error) {
	switch {
	case c.ImageURI != "":
		return nil, errInvalid("tarn: container image functions are not supported yet")
	case c.S3Bucket != "" || c.S3Key != "":
		if s.opts.Code == nil {
			return nil, errInvalid("tarn: code from S3 is not supported yet")
		}
		b, err := s.opts.Code.GetObject(ctx, c.S3Bucket, c.S3Key, c.S3ObjectVersion)
		if err != nil {
			return nil, errInvalid("Error occurred while GetObject. S3 Error Code: NoSuchKey. S3 Error Message: %v", err)
		}
		return b, nil
	case len(c.ZipFile) > 0:
		return c.ZipFile, nil
	}
	return nil, errInvalid("Please provide a source for function code.")
}

func checkLimits(timeout, memory int32) error {
	if timeout < 1 || timeout > maxTimeout {
		return errInvalid("1 validation error detected: Value '%d' at 'timeout' failed to satisfy constraint: Member must have value less than or equal to 900", timeout)
	}
	if memory < 128 || memory > 10240 {
		return errInvalid("1 validation error detected: Value '%d' at 'memorySize' failed to satisfy constraint: Member must have value less than or equal to 10240", memory)
	}
	return nil
}

func (s *Service) createFunction(w http.ResponseWriter, r *http.Request) error {
	var in createInput
	if err := decode(r, &in); err != nil {
		return err
	}
	name, _, err := parseName(in.FunctionName)
	if err != nil {
		return err
	}
	if in.PackageType == "Image" {
		return errInvalid("tarn: container image functions are not supported yet")
	}
	if err := checkRuntime(in.Runtime); err != nil {
		return err
	}
	if in.Handler == "" && !strings.HasPrefix(in.Runtime, "provided") {
		return errInvalid("Handler is required for runtime %s", in.Runtime)
	}
	cfg := Configuration{FunctionName: name, Runtime: in.Runtime, Role: in.Role, Handler: in.Handler,
		Description: in.Description, Timeout: defaultTimeout, MemorySize: defaultMemory, Version: "$LATEST",
		PackageType: "Zip", Architectures: []string{"x86_64"}, EphemeralStorage: map[string]int{"Size": 512},
		TracingConfig: map[string]string{"Mode": "PassThrough"}}
	if len(in.Architectures) > 0 {
		cfg.Architectures = in.Architectures
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
	}
	zipBytes, err := s.zipOf(r.Context(), in.Code)
	if err != nil {
		return err
	}
	region := s.region(r.Context())
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.load(region, name); err == nil {
		return errConflict("Function already exist: %s", name)
	}
	v, sha, err := s.unpack(region, name, zipBytes)
	if err != nil {
		return err
	}
	cfg.FunctionArn = s.arn(region, name)
	cfg.CodeSha256, cfg.CodeSize = sha, int64(len(zipBytes))
	cfg.LastModified = s.now().UTC().Format(lastModifiedForm)
	cfg.RevisionID = newID()
	cfg.State, cfg.StateReason, cfg.StateReasonCode = "Pending", "The function is being created.", "Creating"
	cfg.LastUpdateStatus = "InProgress"
	v.Config = cfg
	rec := &record{Latest: v, Aliases: map[string]Alias{}, Tags: in.Tags, NextVersion: 1}
	out := cfg
	if in.Publish {
		pv := s.newVersion(rec)
		out = pv.Config
	}
	if err := s.save(region, name, rec); err != nil {
		os.RemoveAll(v.CodeDir)
		return err
	}
	s.settleLater(region, name)
	writeJSON(w, http.StatusCreated, out)
	return nil
}

// settleLater moves name from Pending / InProgress to Active / Successful
// in the background, the way AWS reports a create or update finishing.
func (s *Service) settleLater(region, name string) {
	s.bgWG.Add(1)
	go func() {
		defer s.bgWG.Done()
		s.mu.Lock()
		defer s.mu.Unlock()
		s.settleLocked(region, name)
	}()
}

func (s *Service) settle(region, name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settleLocked(region, name)
}

func (s *Service) settleLocked(region, name string) {
	rec, err := s.load(region, name)
	if err != nil {
		return
	}
	fix := func(c *Configuration) {
		c.State, c.StateReason, c.StateReasonCode = "Active", "", ""
		c.LastUpdateStatus, c.LastUpdateReason = "Successful", ""
		if err := runtimeAvailable(c.Runtime); err != nil {
			c.State, c.StateReason, c.StateReasonCode = "Failed", err.Error(), "InvalidRuntime"
			c.LastUpdateStatus, c.LastUpdateReason = "Failed", err.Error()
		}
	}
	fix(&rec.Latest.Config)
	for i := range rec.Versions {
		fix(&rec.Versions[i].Config)
	}
	if err := s.save(region, name, rec); err != nil {
		s.log.Error("function: settle", "function", name, "err", err)
	}
}

func (s *Service) getFunction(w http.ResponseWriter, r *http.Request) error {
	region := s.region(r.Context())
	name, qual, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		qual = q
	}
	rec, err := s.load(region, name)
	if err != nil {
		return err
	}
	v, err := s.resolve(region, name, rec, qual)
	if err != nil {
		return err
	}
	out := map[string]any{"Configuration": v.Config,
		"Code": map[string]string{"RepositoryType": "S3", "Location": "file://" + v.ZipPath}}
	if len(rec.Tags) > 0 {
		out["Tags"] = rec.Tags
	}
	if rec.Reserved != nil {
		out["Concurrency"] = map[string]int32{"ReservedConcurrentExecutions": *rec.Reserved}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Service) getFunctionConfiguration(w http.ResponseWriter, r *http.Request) error {
	region := s.region(r.Context())
	name, qual, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		qual = q
	}
	rec, err := s.load(region, name)
	if err != nil {
		return err
	}
	v, err := s.resolve(region, name, rec, qual)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, v.Config)
	return nil
}

// opName names the operation of a create/update request for messages.
func opName(r *http.Request) string {
	switch {
	case r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/functions"):
		return "CreateFunction"
	case strings.HasSuffix(r.URL.Path, "/code"):
		return "UpdateFunctionCode"
	}
	return "request"
}
