package emr

import (
	"bytes"
	"compress/gzip"
	"context"
	"strings"
)

// Step logs follow EMR's layout under the cluster's LogUri:
//
//	<LogUri>/<cluster id>/steps/<step id>/stdout.gz
//	<LogUri>/<cluster id>/steps/<step id>/stderr.gz
//
// gzip-compressed, written through Options.Lake when the step ends.

// logDir is the URI of a step's log folder, "" without a LogUri.
func logDir(logURI, clusterID, stepID string) string {
	if logURI == "" {
		return ""
	}
	if !strings.HasSuffix(logURI, "/") {
		logURI += "/"
	}
	return logURI + clusterID + "/steps/" + stepID + "/"
}

// logFile is the URI of a step's stderr.gz, FailureDetails.LogFile.
func logFile(logURI, clusterID, stepID string) string {
	d := logDir(logURI, clusterID, stepID)
	if d == "" {
		return ""
	}
	return d + "stderr.gz"
}

// writeLogs puts the step's stdout.gz and stderr.gz; failures are logged,
// never fail the step.
func (s *Service) writeLogs(j *job, out *output) {
	dir := logDir(j.logURI, j.cluster, j.step.Id)
	if dir == "" || s.lake == nil {
		return
	}
	bucket, prefix, ok := parseS3(dir)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(j.ctx), logTimeout)
	defer cancel()
	for name, body := range map[string][]byte{"stdout.gz": out.stdout.Bytes(), "stderr.gz": out.stderr.Bytes()} {
		if err := s.lake.Put(ctx, bucket, prefix+name, gzipped(body)); err != nil {
			s.log.Warn("emr: step log not written", "cluster", j.cluster, "step", j.step.Id, "file", name, "err", err)
		}
	}
}

func gzipped(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b) // writes to a bytes.Buffer cannot fail
	_ = zw.Close()
	return buf.Bytes()
}
