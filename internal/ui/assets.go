package ui

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// assets is web/'s build output (web/build.sh writes it; it is committed).
//
//go:embed assets
var assets embed.FS

func (s *Service) serveIndex(w http.ResponseWriter, r *http.Request) {
	b, err := assets.ReadFile("assets/index.html")
	if err != nil {
		http.Error(w, "tarn ui: assets missing (run web/build.sh)", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write(b)
}

// serveAsset serves assets/<name>; directories and index.html are not listed.
func (s *Service) serveAsset(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, Prefix+"assets/")
	clean := path.Clean("/" + name)[1:]
	if clean == "" || clean != name {
		http.NotFound(w, r)
		return
	}
	sub, _ := fs.Sub(assets, "assets")
	f, err := sub.Open(clean)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	st, err := f.Stat()
	f.Close()
	if err != nil || st.IsDir() {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeFileFS(w, r, sub, clean)
}
