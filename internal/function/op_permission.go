package function

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
)

// Resource-based policies (AddPermission, GetPolicy, RemovePermission).
// tarn stores and returns them exactly; it does not evaluate them (every
// caller is the account's own, so nothing they could forbid is reachable).

var (
	statementIDPattern = regexp.MustCompile(`^([a-zA-Z0-9-_.]+)$`)
	actionPattern      = regexp.MustCompile(`^(lambda:[*]|lambda:[a-zA-Z]+|[*])$`)
	accountPattern     = regexp.MustCompile(`^\d{12}$`)
)

type addPermissionInput struct {
	StatementId         string `json:"StatementId"`
	Action              string `json:"Action"`
	Principal           string `json:"Principal"`
	SourceArn           string `json:"SourceArn"`
	SourceAccount       string `json:"SourceAccount"`
	EventSourceToken    string `json:"EventSourceToken"`
	RevisionId          string `json:"RevisionId"`
	PrincipalOrgID      string `json:"PrincipalOrgID"`
	FunctionUrlAuthType string `json:"FunctionUrlAuthType"`
}

// policyTarget resolves the function and qualifier of a policy request
// and checks the qualifier names a version or alias.
func (s *Service) policyTarget(r *http.Request) (region, name, qual string, rec *record, err error) {
	name, qual, err = parseName(r.PathValue("name"))
	if err != nil {
		return
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		qual = q
	}
	region = s.region(r.Context())
	if rec, err = s.load(region, name); err != nil {
		return
	}
	if qual == "$LATEST" {
		qual = ""
	}
	if qual != "" {
		if _, err = s.resolve(region, name, rec, qual); err != nil {
			return
		}
	}
	return
}

func (s *Service) addPermission(w http.ResponseWriter, r *http.Request) error {
	var in addPermissionInput
	if err := decode(r, &in); err != nil {
		return err
	}
	switch {
	case !statementIDPattern.MatchString(in.StatementId) || len(in.StatementId) > 100:
		return errInvalid("1 validation error detected: Value '%s' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)", in.StatementId)
	case !actionPattern.MatchString(in.Action):
		return errInvalid("1 validation error detected: Value '%s' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])", in.Action)
	case in.Principal == "":
		return errInvalid("1 validation error detected: Value null at 'principal' failed to satisfy constraint: Member must not be null")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	region, name, qual, rec, err := s.policyTarget(r)
	if err != nil {
		return err
	}
	if in.RevisionId != "" && in.RevisionId != rec.Latest.Config.RevisionID {
		return errf("PreconditionFailedException", http.StatusPreconditionFailed,
			"The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id")
	}
	for _, st := range rec.Policy[qual] {
		var have struct{ Sid string }
		if json.Unmarshal(st, &have) == nil && have.Sid == in.StatementId {
			return errf("ResourceConflictException", http.StatusConflict,
				"The statement id (%s) provided already exists. Please provide a new statement id, or remove the existing statement.", in.StatementId)
		}
	}
	resource := s.arn(region, name)
	if qual != "" {
		resource += ":" + qual
	}
	st := statement(in, resource)
	if rec.Policy == nil {
		rec.Policy = map[string][]json.RawMessage{}
	}
	rec.Policy[qual] = append(rec.Policy[qual], st)
	if err := s.save(region, name, rec); err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, map[string]string{"Statement": string(st)})
	return nil
}

// statement is the IAM policy statement AddPermission adds, shaped as
// Lambda returns it.
func statement(in addPermissionInput, resource string) json.RawMessage {
	var principal any = in.Principal
	switch {
	case in.Principal == "*":
	case accountPattern.MatchString(in.Principal):
		principal = map[string]string{"AWS": "arn:aws:iam::" + in.Principal + ":root"}
	case strings.HasPrefix(in.Principal, "arn:"):
		principal = map[string]string{"AWS": in.Principal}
	default:
		principal = map[string]string{"Service": in.Principal}
	}
	cond := map[string]map[string]string{}
	add := func(op, key, v string) {
		if v == "" {
			return
		}
		if cond[op] == nil {
			cond[op] = map[string]string{}
		}
		cond[op][key] = v
	}
	add("StringEquals", "AWS:SourceAccount", in.SourceAccount)
	add("StringEquals", "aws:PrincipalOrgID", in.PrincipalOrgID)
	add("StringEquals", "lambda:EventSourceToken", in.EventSourceToken)
	add("StringEquals", "lambda:FunctionUrlAuthType", in.FunctionUrlAuthType)
	add("ArnLike", "AWS:SourceArn", in.SourceArn)
	st := map[string]any{"Sid": in.StatementId, "Effect": "Allow", "Principal": principal, "Action": in.Action, "Resource": resource}
	if len(cond) > 0 {
		st["Condition"] = cond
	}
	b, _ := json.Marshal(st)
	return b
}

func (s *Service) getPolicy(w http.ResponseWriter, r *http.Request) error {
	_, _, qual, rec, err := s.policyTarget(r)
	if err != nil {
		return err
	}
	sts := rec.Policy[qual]
	if len(sts) == 0 {
		return errf("ResourceNotFoundException", http.StatusNotFound, "The resource you requested does not exist.")
	}
	b, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Id": "default", "Statement": sts})
	writeJSON(w, http.StatusOK, map[string]string{"Policy": string(b), "RevisionId": rec.Latest.Config.RevisionID})
	return nil
}

func (s *Service) removePermission(w http.ResponseWriter, r *http.Request) error {
	sid := r.PathValue("sid")
	s.mu.Lock()
	defer s.mu.Unlock()
	region, name, qual, rec, err := s.policyTarget(r)
	if err != nil {
		return err
	}
	if rev := r.URL.Query().Get("RevisionId"); rev != "" && rev != rec.Latest.Config.RevisionID {
		return errf("PreconditionFailedException", http.StatusPreconditionFailed,
			"The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id")
	}
	sts := rec.Policy[qual]
	for i, st := range sts {
		var have struct{ Sid string }
		if json.Unmarshal(st, &have) == nil && have.Sid == sid {
			rec.Policy[qual] = append(sts[:i:i], sts[i+1:]...)
			if err := s.save(region, name, rec); err != nil {
				return err
			}
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
	}
	return errf("ResourceNotFoundException", http.StatusNotFound, "The resource you requested does not exist.")
}
