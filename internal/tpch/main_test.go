package tpch

import (
	"context"
	"os"
	"sync"
	"testing"
)

// testSF is the only scale factor tests generate: fast, and still every
// query returns rows.
const testSF = 0.01

// sharedDir holds the shared SF 0.01 data; TestMain removes it at exit.
var sharedDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "tpch-test-")
	if err != nil {
		panic(err)
	}
	sharedDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

var shared struct {
	once sync.Once
	dir  string
	m    Manifest
	err  error
}

// sharedData generates SF 0.01 (Parquet and CSV) once per test binary
// into a directory removed at exit, so each test reads the same data.
func sharedData(t testing.TB) (string, Manifest) {
	t.Helper()
	shared.once.Do(func() {
		shared.dir = sharedDir
		shared.m, shared.err = Generate(context.Background(), shared.dir, Options{SF: testSF, Format: Parquet | CSV})
	})
	if shared.err != nil {
		t.Fatalf("Generate: %v", shared.err)
	}
	return shared.dir, shared.m
}
