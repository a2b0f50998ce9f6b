package main

import (
	"bytes"
	"context"
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/stack"
)

// The demo's pipeline is a stack file shipped in the binary (tarn demo
// --print-stack), plus the job scripts it names.
var (
	//go:embed demo/stack.yaml
	demoStackYAML []byte
	//go:embed demo/silver.sql
	demoSilverSQL []byte
	//go:embed demo/gold.sql
	demoGoldSQL []byte
	//go:embed demo/cohorts.sql
	demoCohortsSQL []byte
)

// demoScripts are the Glue jobs' scripts, uploaded to s3://shop-raw/scripts/.
var demoScripts = map[string][]byte{"scripts/silver.sql": demoSilverSQL, "scripts/gold.sql": demoGoldSQL,
	"scripts/cohorts.sql": demoCohortsSQL}

// writeDemoStack writes the stack file and the functions' folders under
// dir (each folder a provided.al2023 bootstrap that runs a handler of the
// tarn binary exe) and parses it.
func writeDemoStack(dir, exe string) (*stack.Stack, error) {
	for name, handler := range map[string]string{"enrich": "enrich", "files": "files"} {
		fdir := filepath.Join(dir, "functions", name)
		if err := os.MkdirAll(fdir, 0o755); err != nil {
			return nil, err
		}
		script := "#!/bin/sh\nexec '" + strings.ReplaceAll(exe, "'", `'\''`) + "' " + demoHandlerCommand + " " + handler + "\n"
		if err := os.WriteFile(filepath.Join(fdir, "bootstrap"), []byte(script), 0o755); err != nil {
			return nil, err
		}
	}
	path := filepath.Join(dir, "tarn.yaml")
	if err := os.WriteFile(path, demoStackYAML, 0o644); err != nil {
		return nil, err
	}
	return stack.Parse(path, demoStackYAML)
}

// applyDemoStack applies the demo stack to the tarn at endpoint and
// uploads the job scripts; it returns the changes made.
func applyDemoStack(ctx context.Context, s *stack.Stack, endpoint string, cfg config.Config, s3c *s3.Client) ([]stack.Change, error) {
	var log bytes.Buffer
	aw := awsConfig(endpoint, cfg.Region, cfg.AccessKey, cfg.SecretKey)
	changes, err := stack.Apply(ctx, s, withDashboards(stack.NewClients(aw), aw), &log)
	if err != nil {
		return changes, fmt.Errorf("apply the demo stack: %w\n%s", err, log.String())
	}
	for key, body := range demoScripts {
		if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(demoBucket), Key: aws.String(key),
			Body: bytes.NewReader(body), ContentType: aws.String("text/plain")}); err != nil {
			return changes, fmt.Errorf("upload s3://%s/%s: %w", demoBucket, key, err)
		}
	}
	return changes, nil
}

// stackCounts summarizes applied changes per kind: "1 bucket, 4 tables, ...".
func stackCounts(changes []stack.Change) string {
	var order []string
	n := map[string]int{}
	for _, c := range changes {
		if n[c.Kind] == 0 {
			order = append(order, c.Kind)
		}
		n[c.Kind]++
	}
	parts := make([]string, len(order))
	for i, k := range order {
		plural := ""
		if n[k] > 1 {
			plural = "s"
		}
		parts[i] = fmt.Sprintf("%d %s%s", n[k], k, plural)
	}
	return strings.Join(parts, ", ")
}
