package function

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"
)

// reservedEnv are the keys Lambda refuses in Environment.Variables.
var reservedEnv = []string{"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
	"AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_NAME",
	"AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME",
	"AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API", "AWS_REGION", "AWS_SECRET_ACCESS_KEY",
	"AWS_SESSION_TOKEN", "LAMBDA_RUNTIME_DIR", "LAMBDA_TASK_ROOT"}

// checkEnv applies Lambda's rules to Environment.Variables: no reserved
// keys, at most 4 KB in total.
func checkEnv(e *envShape) error {
	if e == nil {
		return nil
	}
	var bad []string
	for _, k := range reservedEnv {
		if _, ok := e.Variables[k]; ok {
			bad = append(bad, k)
		}
	}
	if len(bad) > 0 {
		return errInvalid("Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: %s", strings.Join(bad, ", "))
	}
	if b, _ := json.Marshal(e.Variables); len(b) > 4096 {
		return errInvalid("Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit. String measured: %s", b)
	}
	return nil
}

// tagTarget resolves the {arn} of a tags route to its function.
func (s *Service) tagTarget(r *http.Request) (region, name string, err error) {
	arn := r.PathValue("arn")
	parts := strings.Split(arn, ":")
	if len(parts) != 7 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" {
		return "", "", errInvalid("1 validation error detected: Value '%s' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: arn:(aws[a-zA-Z-]*):lambda:[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\\d{1}:\\d{12}:(function:[a-zA-Z0-9-_]+)", arn)
	}
	return parts[3], parts[6], nil
}

func (s *Service) tagResource(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Tags map[string]string `json:"Tags"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	region, name, err := s.tagTarget(r)
	if err != nil {
		return err
	}
	if err := s.modify(region, name, func(rec *record) error {
		if rec.Tags == nil {
			rec.Tags = map[string]string{}
		}
		for k, v := range in.Tags {
			rec.Tags[k] = v
		}
		if len(rec.Tags) > 50 {
			return errInvalid("Number of tags exceeds resource tag limit.")
		}
		return nil
	}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) untagResource(w http.ResponseWriter, r *http.Request) error {
	region, name, err := s.tagTarget(r)
	if err != nil {
		return err
	}
	if err := s.modify(region, name, func(rec *record) error {
		for _, k := range r.URL.Query()["tagKeys"] {
			delete(rec.Tags, k)
		}
		return nil
	}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) listTags(w http.ResponseWriter, r *http.Request) error {
	region, name, err := s.tagTarget(r)
	if err != nil {
		return err
	}
	rec, err := s.load(region, name)
	if err != nil {
		return err
	}
	tags := rec.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"Tags": tags})
	return nil
}

func sortAliases(a []Alias) { sort.Slice(a, func(i, j int) bool { return a[i].Name < a[j].Name }) }
