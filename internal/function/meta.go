package function

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

// Configuration is Lambda's FunctionConfiguration shape (the fields tarn fills).
type Configuration struct {
	FunctionName     string            `json:"FunctionName"`
	FunctionArn      string            `json:"FunctionArn"`
	Runtime          string            `json:"Runtime,omitempty"`
	Role             string            `json:"Role"`
	Handler          string            `json:"Handler,omitempty"`
	CodeSize         int64             `json:"CodeSize"`
	Description      string            `json:"Description"`
	Timeout          int32             `json:"Timeout"`
	MemorySize       int32             `json:"MemorySize"`
	LastModified     string            `json:"LastModified"`
	CodeSha256       string            `json:"CodeSha256"`
	Version          string            `json:"Version"`
	Environment      *envShape         `json:"Environment,omitempty"`
	RevisionID       string            `json:"RevisionId"`
	State            string            `json:"State"`
	StateReason      string            `json:"StateReason,omitempty"`
	StateReasonCode  string            `json:"StateReasonCode,omitempty"`
	LastUpdateStatus string            `json:"LastUpdateStatus"`
	LastUpdateReason string            `json:"LastUpdateStatusReason,omitempty"`
	PackageType      string            `json:"PackageType"`
	Architectures    []string          `json:"Architectures"`
	EphemeralStorage map[string]int    `json:"EphemeralStorage"`
	TracingConfig    map[string]string `json:"TracingConfig"`
}

type envShape struct {
	Variables map[string]string `json:"Variables"`
}

// version is one stored version of a function ($LATEST or a number) with
// the directory its code is unpacked in.
type version struct {
	Config  Configuration `json:"config"`
	CodeDir string        `json:"codeDir"`
	ZipPath string        `json:"zipPath"`
}

// Alias is Lambda's AliasConfiguration shape.
type Alias struct {
	AliasArn        string `json:"AliasArn"`
	Name            string `json:"Name"`
	FunctionVersion string `json:"FunctionVersion"`
	Description     string `json:"Description"`
	RevisionID      string `json:"RevisionId"`
}

// record is everything stored about one function, under key
// "f/REGION/NAME" of Options.Meta, rewritten whole on each change (under
// Service.mu).
type record struct {
	Latest      version           `json:"latest"`
	Versions    []version         `json:"versions"`
	Aliases     map[string]Alias  `json:"aliases"`
	Reserved    *int32            `json:"reserved,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	NextVersion int               `json:"nextVersion"`
	// EventConfig is the FunctionEventInvokeConfig per qualifier ($LATEST,
	// a version or an alias).
	EventConfig map[string]EventInvokeConfig `json:"eventConfig,omitempty"`
	// Policy is the resource-based policy's statements per qualifier (""
	// for the unqualified function), as AddPermission added them.
	Policy map[string][]json.RawMessage `json:"policy,omitempty"`
}

func recordKey(region, name string) []byte { return []byte("f/" + region + "/" + name) }

// load returns the record of name, or a ResourceNotFoundException.
func (s *Service) load(region, name string) (*record, error) {
	b, err := s.meta.Get(recordKey(region, name))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, errNotFound("Function not found: %s", s.arn(region, name))
	}
	if err != nil {
		return nil, fmt.Errorf("load function: %w", err)
	}
	var r record
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("decode function: %w", err)
	}
	if r.Aliases == nil {
		r.Aliases = map[string]Alias{}
	}
	return &r, nil
}

// modify loads the record of name under s.mu, applies fn and saves the
// record if fn returns nil.
func (s *Service) modify(region, name string, fn func(*record) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.load(region, name)
	if err != nil {
		return err
	}
	if err := fn(rec); err != nil {
		return err
	}
	return s.save(region, name, rec)
}

func (s *Service) save(region, name string, r *record) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	return s.meta.Set(recordKey(region, name), b)
}

// list returns the records of region in name order.
func (s *Service) list(region string) ([]*record, error) { return s.listPrefix("f/" + region + "/") }

// regionOfARN is the region field of a Lambda ARN.
func regionOfARN(arn string) string {
	if p := strings.Split(arn, ":"); len(p) > 3 {
		return p[3]
	}
	return ""
}

func (s *Service) listPrefix(prefix string) ([]*record, error) {
	p := []byte(prefix)
	it, err := s.meta.Iter(p, kv.PrefixEnd(p))
	if err != nil {
		return nil, err
	}
	var out []*record
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return nil, err
		}
		var r record
		if err := json.Unmarshal(v, &r); err != nil {
			it.Close()
			return nil, err
		}
		out = append(out, &r)
	}
	return out, it.Close()
}

func (s *Service) arn(region, name string) string {
	return "arn:aws:lambda:" + region + ":" + accountID + ":function:" + name
}

// parseName splits a FunctionName parameter (name, name:qualifier, a
// full or partial ARN) into name and qualifier.
func parseName(raw string) (name, qual string, err error) {
	s := raw
	if strings.HasPrefix(s, "arn:") {
		parts := strings.Split(s, ":")
		if len(parts) < 7 || parts[5] != "function" {
			return "", "", errInvalid("Invalid function name: %s", raw)
		}
		s = strings.Join(parts[6:], ":")
	} else if i := strings.Index(s, ":function:"); i >= 0 {
		s = s[i+len(":function:"):]
	}
	name, qual, _ = strings.Cut(s, ":")
	if name == "" || len(name) > 64 || strings.IndexFunc(name, badNameRune) >= 0 {
		return "", "", errInvalid("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", raw)
	}
	return name, qual, nil
}

func badNameRune(r rune) bool {
	return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
}

// resolve returns the version a qualifier names: "" or $LATEST, a version
// number, or an alias.
func (s *Service) resolve(region, name string, r *record, qual string) (*version, error) {
	if qual == "" || qual == "$LATEST" {
		return &r.Latest, nil
	}
	if a, ok := r.Aliases[qual]; ok {
		qual = a.FunctionVersion
		if qual == "$LATEST" {
			return &r.Latest, nil
		}
	}
	for i := range r.Versions {
		if r.Versions[i].Config.Version == qual {
			return &r.Versions[i], nil
		}
	}
	return nil, errNotFound("Function not found: %s:%s", s.arn(region, name), qual)
}
