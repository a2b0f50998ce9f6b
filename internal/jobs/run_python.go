package jobs

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
	"time"
)

// Python jobs (pythonshell, and glueetl through Spark Connect): the
// script is written to a fresh directory and run with python3 as Glue
// does: script.py --JOB_NAME <job> --JOB_RUN_ID <id> then every argument
// as --key value. The child gets only basic variables (PATH, HOME, LANG,
// LC_ALL, TZ), TMPDIR = its directory, the AWS endpoint, credentials and
// region, and for glueetl SPARK_REMOTE. It runs in its own process group;
// a timeout or stop kills the group. stdout goes to the output log,
// stderr to the error log; a non-zero exit fails the run with the last
// stderr line.

const logBatch = 100

func (s *Service) runPython(ctx context.Context, rec *runRecord, job Job, key string, script []byte) error {
	if s.python == "" {
		return errors.New("tarn found no python3 to run this job (set python)")
	}
	dir, err := os.MkdirTemp("", "tarn-glue-"+rec.Run.Id[:11]+"-")
	if err != nil {
		return fmt.Errorf("make the run's directory: %w", err)
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, path.Base(key))
	if err := os.WriteFile(file, script, 0o600); err != nil {
		return fmt.Errorf("write the script: %w", err)
	}
	args := []string{file, "--JOB_NAME", rec.Run.JobName, "--JOB_RUN_ID", rec.Run.Id}
	merged := map[string]string{"--job-bookmark-option": "job-bookmark-disable"}
	for k, v := range rec.Merged {
		merged[k] = v
	}
	keys := make([]string, 0, len(merged))
	for k := range merged {
		if k != "--JOB_NAME" && k != "--JOB_RUN_ID" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		args = append(args, k, merged[k])
	}
	cmd := exec.Command(s.python, args...)
	cmd.Dir = dir
	cmd.Env = s.childEnv(rec, dir, job)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start python3: %w", err)
	}
	done := make(chan struct{})
	go func() {
		select {
		case <-ctx.Done():
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		case <-done:
		}
	}()
	var wg sync.WaitGroup
	var lastErr string
	wg.Add(2)
	go func() { defer wg.Done(); s.pump(stdout, func(l []string) { s.logOut(rec, l...) }, nil) }()
	go func() {
		defer wg.Done()
		s.pump(stderr, func(l []string) { s.logErr(rec, l...) }, func(line string) {
			if line != "" {
				lastErr = line
			}
		})
	}()
	wg.Wait()
	err = cmd.Wait()
	close(done)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			if lastErr != "" {
				return errors.New(lastErr)
			}
			return fmt.Errorf("the script exited with %v", ee)
		}
		return err
	}
	return nil
}

// pump sends r's lines to flush in batches; each is also given to each.
func (s *Service) pump(r io.Reader, flush func([]string), each func(string)) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var batch []string
	last := time.Now()
	for sc.Scan() {
		line := sc.Text()
		if each != nil {
			each(line)
		}
		batch = append(batch, line)
		if len(batch) >= logBatch || time.Since(last) > time.Second {
			flush(batch)
			batch, last = nil, time.Now()
		}
	}
	_, _ = io.Copy(io.Discard, r)
	flush(batch)
}

// childEnv is the whole environment of a script.
func (s *Service) childEnv(rec *runRecord, dir string, job Job) []string {
	env := []string{"TMPDIR=" + dir, "PYTHONUNBUFFERED=1", "AWS_REGION=" + rec.Region, "AWS_DEFAULT_REGION=" + rec.Region}
	for _, k := range []string{"PATH", "HOME", "LANG", "LC_ALL", "TZ"} {
		if v, ok := os.LookupEnv(k); ok {
			env = append(env, k+"="+v)
		}
	}
	if s.opts.Endpoint != "" {
		env = append(env, "AWS_ENDPOINT_URL="+s.opts.Endpoint)
	}
	if s.opts.AccessKey != "" {
		env = append(env, "AWS_ACCESS_KEY_ID="+s.opts.AccessKey, "AWS_SECRET_ACCESS_KEY="+s.opts.SecretKey)
	}
	if job.Command != nil && job.Command.Name != "pythonshell" && s.opts.SparkConnect != "" {
		env = append(env, "SPARK_REMOTE="+s.opts.SparkConnect)
	}
	return env
}
