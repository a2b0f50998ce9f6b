package function

import (
	"archive/zip"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// unpack stores zipBytes and extracts it into a fresh directory under
// s.dir/REGION/NAME/. It returns the version fields describing the code.
// Nothing is half-written on error: the directory is removed.
func (s *Service) unpack(region, name string, zipBytes []byte) (v version, sha string, err error) {
	zr, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		return v, "", errInvalid("Could not unzip uploaded file. Please check your file, then try to upload again.")
	}
	sum := sha256.Sum256(zipBytes)
	sha = base64.StdEncoding.EncodeToString(sum[:])
	base := filepath.Join(s.dir, region, name)
	dir := filepath.Join(base, hex.EncodeToString(sum[:8])+"-"+newID()[:8])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return v, "", fmt.Errorf("unpack: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(dir)
		}
	}()
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > maxUnzippedSize {
			return v, "", errInvalid("Unzipped size must be smaller than %d bytes", maxUnzippedSize)
		}
		p := filepath.Join(dir, f.Name)
		if !strings.HasPrefix(p, dir+string(os.PathSeparator)) {
			return v, "", errInvalid("Could not unzip uploaded file: illegal path %q", f.Name)
		}
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(p, 0o755); err != nil {
				return v, "", err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return v, "", err
		}
		mode := f.Mode().Perm() | 0o444
		if mode&0o111 == 0 && (f.Name == "bootstrap" || f.Mode().Perm() == 0) {
			mode |= 0o755 // zips made without unix modes: bootstrap must run
		}
		if err := extract(f, p, mode); err != nil {
			return v, "", errInvalid("Could not unzip uploaded file: %v", err)
		}
	}
	zipPath := dir + ".zip"
	if err := os.WriteFile(zipPath, zipBytes, 0o644); err != nil {
		return v, "", err
	}
	return version{CodeDir: dir, ZipPath: zipPath}, sha, nil
}

func extract(f *zip.File, p string, mode os.FileMode) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, io.LimitReader(rc, maxUnzippedSize)); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// newID returns a random UUID-shaped id (request ids, revision ids).
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
