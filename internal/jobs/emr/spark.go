package emr

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// runSparkSubmit runs command-runner.jar spark-submit. With
// Options.SparkConnect set and a .py primary resource, the script runs as
// `python3 script.py args...` with SPARK_REMOTE set to the endpoint (a
// PySpark script then builds its session against Spark Connect); every
// other spark-submit fails at once: tarn has no JVM Spark to run it.
func (s *Service) runSparkSubmit(j *job, args []string, out *output) error {
	primary, appArgs := "", []string(nil)
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, _, inline := strings.Cut(a, "=")
		switch {
		case sparkValueOpts[name]:
			if name == "--py-files" || name == "--class" {
				return stepFail("Unsupported step", "spark-submit %s is not supported: tarn runs one PySpark script against Spark Connect", name)
			}
			if !inline {
				i++
			}
		case sparkFlags[a]:
		case strings.HasPrefix(a, "-"):
			return stepFail("Invalid step arguments", "spark-submit: unrecognized option %q", a)
		default:
			primary, appArgs = a, args[i+1:]
			i = len(args)
		}
	}
	if primary == "" {
		return stepFail("Invalid step arguments", "spark-submit: no application (a .py script or a JAR) was given")
	}
	if s.spark == "" {
		return stepFail("Unsupported step", noSpark, "spark-submit of "+primary)
	}
	if !strings.HasSuffix(primary, ".py") {
		return stepFail("Unsupported step", "tarn submits only PySpark (.py) scripts to Spark Connect; %s is not one", primary)
	}
	body, err := s.readScript(j.ctx, primary)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "tarn-emr-step-")
	if err != nil {
		return fmt.Errorf("spark-submit: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, path.Base(primary))
	if err := os.WriteFile(script, body, 0o600); err != nil {
		return fmt.Errorf("spark-submit: write script: %w", err)
	}
	cmd := exec.CommandContext(j.ctx, s.python, append([]string{script}, appArgs...)...)
	cmd.Dir = dir
	cmd.Env = []string{"SPARK_REMOTE=" + s.spark, "HOME=" + dir, "PATH=" + os.Getenv("PATH"), "PYTHONUNBUFFERED=1"}
	cmd.Stdout, cmd.Stderr = &out.stdout, &out.stderr
	err = cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return nil
	case j.ctx.Err() != nil:
		return j.ctx.Err()
	case errors.As(err, &ee):
		return stepFail(fmt.Sprintf("PySpark script exited with status %d", ee.ExitCode()),
			"%s exited with status %d: %s", primary, ee.ExitCode(), lastLine(out.stderr.String()))
	default:
		return stepFail("Cannot start PySpark", "cannot run %s for %s: %v", s.python, primary, err)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
