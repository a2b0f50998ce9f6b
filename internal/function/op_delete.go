package function

import (
	"net/http"
	"os"
)

func (s *Service) deleteFunction(w http.ResponseWriter, r *http.Request) error {
	region := s.region(r.Context())
	name, qual, err := parseName(r.PathValue("name"))
	if err != nil {
		return err
	}
	if q := r.URL.Query().Get("Qualifier"); q != "" {
		qual = q
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.load(region, name)
	if err != nil {
		return err
	}
	if qual != "" && qual != "$LATEST" {
		return s.deleteVersion(w, region, name, rec, qual)
	}
	if err := s.meta.Delete(recordKey(region, name)); err != nil {
		return err
	}
	s.pools.dropFunction(region, name)
	os.RemoveAll(s.funcDir(region, name))
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// deleteVersion removes one published version (DeleteFunction with a
// Qualifier). Called with s.mu held.
func (s *Service) deleteVersion(w http.ResponseWriter, region, name string, rec *record, ver string) error {
	for _, a := range rec.Aliases {
		if a.FunctionVersion == ver {
			return errConflict("Unable to delete version because the following aliases reference it: [%s]", a.Name)
		}
	}
	for i, v := range rec.Versions {
		if v.Config.Version != ver {
			continue
		}
		rec.Versions = append(rec.Versions[:i], rec.Versions[i+1:]...)
		if err := s.save(region, name, rec); err != nil {
			return err
		}
		s.pools.dropVersion(region, name, ver)
		if v.CodeDir != rec.Latest.CodeDir && !s.codeInUse(rec, v.CodeDir) {
			os.RemoveAll(v.CodeDir)
			os.Remove(v.ZipPath)
		}
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	return errNotFound("Function not found: %s:%s", s.arn(region, name), ver)
}

func (s *Service) codeInUse(rec *record, dir string) bool {
	for _, v := range rec.Versions {
		if v.CodeDir == dir {
			return true
		}
	}
	return false
}
