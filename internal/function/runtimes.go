package function

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/tarnhq/tarn/internal/function/runtime"
)

// checkRuntime refuses runtimes tarn cannot run at all (a 400 at create).
// Interpreted runtimes are accepted even when the interpreter is missing:
// the function then settles in State Failed (runtimeAvailable).
func checkRuntime(rt string) error {
	switch {
	case rt == "provided" || rt == "provided.al2" || rt == "provided.al2023",
		strings.HasPrefix(rt, "python3."), strings.HasPrefix(rt, "nodejs"):
		return nil
	case rt == "":
		return errInvalid("Runtime is required for .zip deployment packages")
	}
	return errInvalid("tarn: runtime %s is not supported yet (supported: provided.al2023, provided.al2, python3.x, nodejs*)", rt)
}

// interpreter returns the interpreter path for rt, "" for provided.*.
func interpreter(rt string) (string, error) {
	var name string
	switch {
	case strings.HasPrefix(rt, "python3."):
		name = "python3"
	case strings.HasPrefix(rt, "nodejs"):
		name = "node"
	default:
		return "", nil
	}
	for _, dir := range filepath.SplitList(DefaultPath) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("tarn: runtime %s needs %s, which is not installed on this machine", rt, name)
}

func runtimeAvailable(rt string) error {
	_, err := interpreter(rt)
	return err
}

// command returns the program and arguments that start an environment of
// v: the bootstrap for provided.*, else the interpreter and tarn's loop.
func (s *Service) command(v *version) (string, []string, error) {
	rt := v.Config.Runtime
	ip, err := interpreter(rt)
	if err != nil {
		return "", nil, err
	}
	if ip == "" {
		b := filepath.Join(v.CodeDir, "bootstrap")
		if _, err := os.Stat(b); err != nil {
			return "", nil, fmt.Errorf("Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]")
		}
		return b, nil, nil
	}
	script, name := runtime.Python, "python_loop.py"
	if strings.HasPrefix(rt, "nodejs") {
		script, name = runtime.Node, "node_loop.js"
	}
	dir := filepath.Join(s.dir, "_runtime")
	p := filepath.Join(dir, name)
	if old, err := os.ReadFile(p); err != nil || string(old) != string(script) {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", nil, err
		}
		tmp := p + "." + newID()[:8]
		if err := os.WriteFile(tmp, script, 0o644); err != nil {
			return "", nil, err
		}
		if err := os.Rename(tmp, p); err != nil {
			return "", nil, err
		}
	}
	return ip, []string{p}, nil
}

// environ is exactly the environment Lambda gives a function, plus its
// Environment.Variables; nothing of tarn's own environment but a PATH.
func (s *Service) environ(region string, v *version, apiAddr, stream string) []string {
	c := v.Config
	env := map[string]string{
		"PATH":                            DefaultPath,
		"LANG":                            "en_US.UTF-8",
		"TZ":                              ":UTC",
		"LAMBDA_TASK_ROOT":                v.CodeDir,
		"LAMBDA_RUNTIME_DIR":              filepath.Join(s.dir, "_runtime"),
		"LD_LIBRARY_PATH":                 v.CodeDir + "/lib",
		"_HANDLER":                        c.Handler,
		"AWS_EXECUTION_ENV":               "AWS_Lambda_" + c.Runtime,
		"AWS_LAMBDA_FUNCTION_NAME":        c.FunctionName,
		"AWS_LAMBDA_FUNCTION_VERSION":     c.Version,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": fmt.Sprint(c.MemorySize),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + c.FunctionName,
		"AWS_LAMBDA_LOG_STREAM_NAME":      stream,
		"AWS_LAMBDA_INITIALIZATION_TYPE":  "on-demand",
		"AWS_LAMBDA_RUNTIME_API":          apiAddr,
		"AWS_REGION":                      region,
		"AWS_DEFAULT_REGION":              region,
		"AWS_ACCESS_KEY_ID":               s.opts.AccessKey,
		"AWS_SECRET_ACCESS_KEY":           s.opts.SecretKey,
	}
	if strings.HasPrefix(c.Runtime, "provided") {
		delete(env, "AWS_EXECUTION_ENV") // AWS sets none for OS-only runtimes
	}
	if s.opts.SessionToken != "" {
		env["AWS_SESSION_TOKEN"] = s.opts.SessionToken
	}
	if s.opts.Endpoint != "" {
		env["AWS_ENDPOINT_URL"] = s.opts.Endpoint
	}
	if c.Environment != nil {
		for k, val := range c.Environment.Variables {
			env[k] = val
		}
	}
	out := make([]string, 0, len(env))
	for k, val := range env {
		out = append(out, k+"="+val)
	}
	return out
}
