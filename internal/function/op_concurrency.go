package function

import (
	"net/http"
)

func (s *Service) putConcurrency(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		ReservedConcurrentExecutions *int32 `json:"ReservedConcurrentExecutions"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	if in.ReservedConcurrentExecutions == nil || *in.ReservedConcurrentExecutions < 0 {
		return errInvalid("ReservedConcurrentExecutions must be a non-negative integer")
	}
	name, _, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	n := *in.ReservedConcurrentExecutions
	if err := s.modify(s.region(r.Context()), name, func(rec *record) error {
		rec.Reserved = &n
		return nil
	}); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]int32{"ReservedConcurrentExecutions": n})
	return nil
}

func (s *Service) deleteConcurrency(w http.ResponseWriter, r *http.Request) error {
	name, _, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	if err := s.modify(s.region(r.Context()), name, func(rec *record) error {
		rec.Reserved = nil
		return nil
	}); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (s *Service) getConcurrency(w http.ResponseWriter, r *http.Request) error {
	name, _, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	rec, err := s.load(s.region(r.Context()), name)
	if err != nil {
		return err
	}
	out := map[string]int32{}
	if rec.Reserved != nil {
		out["ReservedConcurrentExecutions"] = *rec.Reserved
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
