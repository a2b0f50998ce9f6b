package stack

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// Lambda's defaults for fields the file leaves out.
const (
	defaultTimeout = 3
	defaultMemory  = 128
)

// ZipDir zips the folder dir reproducibly: files in lexical order, fixed
// times, modes kept (an executable bootstrap stays executable), so an
// unchanged folder always gives the same bytes and CodeSha256.
func ZipDir(dir string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	epoch := time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		h := &zip.FileHeader{Name: filepath.ToSlash(rel), Method: zip.Deflate, Modified: epoch}
		h.SetMode(info.Mode())
		w, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// codeZip returns the function's zip and its CodeSha256.
func (f *Function) codeZip(ctx context.Context, e *env) ([]byte, string, error) {
	var b []byte
	var err error
	switch c := f.Code; {
	case c.Path != "":
		b, err = ZipDir(e.s.path(c.Path))
	case c.Zip != "":
		b, err = os.ReadFile(e.s.path(c.Zip))
	default:
		in := &s3.GetObjectInput{Bucket: aws.String(c.S3Bucket), Key: aws.String(c.S3Key)}
		if c.S3ObjectVersion != "" {
			in.VersionId = aws.String(c.S3ObjectVersion)
		}
		out, gerr := e.c.S3.GetObject(ctx, in)
		if gerr != nil {
			return nil, "", fmt.Errorf("code s3://%s/%s: %w", c.S3Bucket, c.S3Key, gerr)
		}
		defer out.Body.Close()
		b, err = io.ReadAll(out.Body)
	}
	if err != nil {
		return nil, "", fmt.Errorf("code: %w", err)
	}
	sum := sha256.Sum256(b)
	return b, base64.StdEncoding.EncodeToString(sum[:]), nil
}

// path resolves p against the stack file's directory.
func (s *Stack) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(s.dir, p)
}

func (f *Function) sdkCode(b []byte) *ltypes.FunctionCode {
	if c := f.Code; c.S3Bucket != "" {
		return &ltypes.FunctionCode{S3Bucket: aws.String(c.S3Bucket), S3Key: aws.String(c.S3Key), S3ObjectVersion: aws.String(c.S3ObjectVersion)}
	}
	return &ltypes.FunctionCode{ZipFile: b}
}

func (f *Function) timeout() int { return cmpOr(f.Timeout, defaultTimeout) }
func (f *Function) memory() int  { return cmpOr(f.MemorySize, defaultMemory) }

func cmpOr(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func envString(m map[string]string) string {
	keys := slices.Sorted(maps.Keys(m))
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

func (f *Function) plan(ctx context.Context, e *env) (step, error) {
	zipBytes, sha, err := f.codeZip(ctx, e)
	if err != nil {
		return step{}, err
	}
	out, err := e.c.Lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(f.Name)})
	if isNotFound(err) {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
			in := &lambda.CreateFunctionInput{FunctionName: aws.String(f.Name), Runtime: ltypes.Runtime(f.Runtime),
				Role: aws.String(or(f.Role, DefaultRole)), Code: f.sdkCode(zipBytes), Description: aws.String(f.Description),
				Timeout: aws.Int32(int32(f.timeout())), MemorySize: aws.Int32(int32(f.memory()))}
			if f.Handler != "" {
				in.Handler = aws.String(f.Handler)
			}
			if f.Environment != nil {
				in.Environment = &ltypes.Environment{Variables: f.Environment}
			}
			if _, err := e.c.Lambda.CreateFunction(ctx, in); err != nil {
				return err
			}
			return e.waitFunction(ctx, f.Name)
		}}, nil
	}
	if err != nil {
		return step{}, err
	}
	cfg := out.Configuration
	var code, conf diff
	if aws.ToString(cfg.CodeSha256) != sha {
		code = append(code, FieldChange{"code", short(aws.ToString(cfg.CodeSha256)), short(sha)})
	}
	conf.str("runtime", string(cfg.Runtime), f.Runtime)
	conf.str("handler", aws.ToString(cfg.Handler), f.Handler)
	conf.str("role", aws.ToString(cfg.Role), or(f.Role, DefaultRole))
	conf.str("description", aws.ToString(cfg.Description), f.Description)
	conf.num("timeout", int(aws.ToInt32(cfg.Timeout)), f.timeout())
	conf.num("memory_size", int(aws.ToInt32(cfg.MemorySize)), f.memory())
	var haveEnv map[string]string
	if cfg.Environment != nil {
		haveEnv = cfg.Environment.Variables
	}
	if !maps.Equal(haveEnv, f.Environment) {
		conf = append(conf, FieldChange{"environment", envKeys(haveEnv, f.Environment), envKeys(f.Environment, haveEnv)})
	}
	return updateOrSame(append(code, conf...), func(ctx context.Context) error {
		if len(code) > 0 {
			c := f.sdkCode(zipBytes)
			if _, err := e.c.Lambda.UpdateFunctionCode(ctx, &lambda.UpdateFunctionCodeInput{FunctionName: aws.String(f.Name),
				ZipFile: c.ZipFile, S3Bucket: c.S3Bucket, S3Key: c.S3Key, S3ObjectVersion: c.S3ObjectVersion}); err != nil {
				return err
			}
			if err := e.waitFunction(ctx, f.Name); err != nil {
				return err
			}
		}
		if len(conf) == 0 {
			return nil
		}
		in := &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String(f.Name), Runtime: ltypes.Runtime(f.Runtime),
			Role: aws.String(or(f.Role, DefaultRole)), Description: aws.String(f.Description), Handler: aws.String(f.Handler),
			Timeout: aws.Int32(int32(f.timeout())), MemorySize: aws.Int32(int32(f.memory())),
			Environment: &ltypes.Environment{Variables: f.Environment}}
		if in.Environment.Variables == nil {
			in.Environment.Variables = map[string]string{}
		}
		if _, err := e.c.Lambda.UpdateFunctionConfiguration(ctx, in); err != nil {
			return err
		}
		return e.waitFunction(ctx, f.Name)
	}), nil
}

// envKeys prints m's variable names, not their values (which may be
// secrets), marking with * those whose value differs in other.
func envKeys(m, other map[string]string) string {
	keys := slices.Sorted(maps.Keys(m))
	for i, k := range keys {
		if v, ok := other[k]; ok && v != m[k] {
			keys[i] += "*"
		}
	}
	return "{" + strings.Join(keys, ", ") + "}"
}

// short abbreviates a CodeSha256 for printing.
func short(sha string) string {
	if len(sha) > 8 {
		return sha[:8]
	}
	return sha
}

// waitFunction waits until the function is Active and its last update
// finished; a Failed state is an error with Lambda's reason.
func (e *env) waitFunction(ctx context.Context, name string) error {
	return e.poll(ctx, "function "+name+" to be Active", func(ctx context.Context) (bool, error) {
		out, err := e.c.Lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
		if err != nil {
			return false, err
		}
		c := out.Configuration
		if c.State == ltypes.StateFailed || c.LastUpdateStatus == ltypes.LastUpdateStatusFailed {
			return false, fmt.Errorf("function %s failed: %s%s", name, aws.ToString(c.StateReason), aws.ToString(c.LastUpdateStatusReason))
		}
		return c.State == ltypes.StateActive && c.LastUpdateStatus != ltypes.LastUpdateStatusInProgress, nil
	})
}

// functionARN is the ARN of the named function.
func (e *env) functionARN(ctx context.Context, name string) (string, error) {
	out, err := e.c.Lambda.GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String(name)})
	if err != nil {
		if e.dryRun && isNotFound(err) {
			return e.arn("lambda", "function:"+name), nil
		}
		return "", err
	}
	return aws.ToString(out.Configuration.FunctionArn), nil
}
