package ui_test

import (
	"archive/zip"
	"bytes"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/emr"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lmtypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/chromedp/chromedp"
)

// TestBrowserJobs runs a Glue SQL job from the Jobs view with arguments,
// reads its output and error logs, sees a failed run's message, toggles a
// trigger and lists a workflow.
func TestBrowserJobs(t *testing.T) {
	b := startBrowser(t)
	seedLake(t, b.env)
	ctx := t.Context()
	gl := b.env.Glue()
	put := func(key, body string) {
		t.Helper()
		if _, err := b.env.S3().PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Fatal(err)
		}
	}
	put("scripts/count.sql", "SELECT count(*) AS n FROM events WHERE amount > ${min_amount};\n")
	put("scripts/broken.sql", "SELECT * FROM no_such_table;\n")
	for name, script := range map[string]string{"count-events": "count.sql", "broken": "broken.sql"} {
		if _, err := gl.CreateJob(ctx, &glue.CreateJobInput{Name: aws.String(name), Role: aws.String("arn:aws:iam::000000000000:role/glue"),
			Command:          &gltypes.JobCommand{Name: aws.String("glueetl"), ScriptLocation: aws.String("s3://lake/scripts/" + script)},
			DefaultArguments: map[string]string{"--database": "shop", "--min_amount": "0"}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := gl.CreateTrigger(ctx, &glue.CreateTriggerInput{Name: aws.String("nightly"), Type: gltypes.TriggerTypeScheduled,
		Schedule: aws.String("cron(0 3 * * ? *)"), Actions: []gltypes.Action{{JobName: aws.String("count-events")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := gl.CreateWorkflow(ctx, &glue.CreateWorkflowInput{Name: aws.String("daily")}); err != nil {
		t.Fatal(err)
	}
	b.signIn(t)
	b.do(t, "jobs view",
		js(`location.hash = '#/jobs'`),
		hasText("#glue-jobs", "count-events", "broken"),
		hasText("#glue-triggers", "nightly", "SCHEDULED", "CREATED", "cron(0 3 * * ? *)", "count-events"),
		hasText("#glue-workflows", "daily", "never run"),
		hasText("#emr-clusters", "No clusters."),
		js(`document.querySelector('[data-job="count-events"]').click()`),
		hasText("#job-info", "glueetl", "s3://lake/scripts/count.sql"),
		hasText("#job-args", "--min_amount", "--database", "shop"),
		hasText("#job-runs", "No runs yet."))
	b.do(t, "start a run with arguments",
		chromedp.Click(chromedp.ID("start-job-run")),
		chromedp.WaitVisible(chromedp.ID("run-args")),
		setField("run-args", `{"--min_amount": "5"}`),
		chromedp.Click(chromedp.ID("run-start")),
		hasText("#job-runs", "jr_"),
		hasText("#job-runs", "SUCCEEDED"))
	runs, err := gl.GetJobRuns(ctx, &glue.GetJobRunsInput{JobName: aws.String("count-events")})
	if err != nil || len(runs.JobRuns) != 1 {
		t.Fatalf("runs: %v %+v", err, runs)
	}
	if got := runs.JobRuns[0].Arguments["--min_amount"]; got != "5" {
		t.Errorf("run argument --min_amount = %q, want 5", got)
	}
	b.do(t, "a run's logs",
		js(`document.querySelector('#job-runs .run-logs').click()`),
		hasText("#run-output", "SQL job count-events"),
		hasText("#run-error", "(no events)"))
	b.shot(t, "01-job-run")

	b.do(t, "a failed run",
		js(`document.querySelector('[data-job="broken"]').click()`),
		hasText("#job-info", "broken.sql"),
		chromedp.Click(chromedp.ID("start-job-run")),
		chromedp.WaitVisible(chromedp.ID("run-args")),
		chromedp.Click(chromedp.ID("run-start")),
		hasText("#job-runs", "FAILED", "no_such_table"),
		js(`document.querySelector('#job-runs .run-logs').click()`),
		hasText("#run-error", "no_such_table"))
	b.shot(t, "02-job-failed")

	b.do(t, "start and stop a trigger",
		js(`document.querySelector('[data-trigger="nightly"] .trigger-toggle').click()`),
		hasText("[data-trigger=nightly]", "ACTIVATED", "Stop"))
	tr, err := gl.GetTrigger(ctx, &glue.GetTriggerInput{Name: aws.String("nightly")})
	if err != nil || tr.Trigger.State != gltypes.TriggerStateActivated {
		t.Fatalf("trigger after Start: %v %+v", err, tr)
	}
	b.do(t, "stop a trigger",
		js(`document.querySelector('[data-trigger="nightly"] .trigger-toggle').click()`),
		hasText("[data-trigger=nightly]", "DEACTIVATED", "Start"))
	b.shot(t, "03-triggers")

	// EMR: a cluster whose second step fails ends TERMINATED_WITH_ERRORS;
	// the console shows the steps and the failure details.
	e := b.env.EMR()
	step := func(name, sql string) emrtypes.StepConfig {
		return emrtypes.StepConfig{Name: aws.String(name), ActionOnFailure: emrtypes.ActionOnFailureTerminateCluster,
			HadoopJarStep: &emrtypes.HadoopJarStepConfig{Jar: aws.String("command-runner.jar"), Args: []string{"spark-sql", "--database", "shop", "-e", sql}}}
	}
	cl, err := e.RunJobFlow(ctx, &emr.RunJobFlowInput{Name: aws.String("report"), ReleaseLabel: aws.String("emr-7.1.0"),
		Instances: &emrtypes.JobFlowInstancesConfig{InstanceCount: aws.Int32(1), MasterInstanceType: aws.String("m5.xlarge")},
		Steps:     []emrtypes.StepConfig{step("count", "SELECT count(*) FROM events"), step("bad", "SELECT * FROM no_such_table")}})
	if err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		d, err := e.DescribeCluster(ctx, &emr.DescribeClusterInput{ClusterId: cl.JobFlowId})
		if err != nil {
			t.Fatal(err)
		}
		if st := d.Cluster.Status.State; st == emrtypes.ClusterStateTerminated || st == emrtypes.ClusterStateTerminatedWithErrors {
			break
		}
		if time.Now().After(end) {
			t.Fatal("cluster did not finish")
		}
	}
	b.do(t, "emr clusters and steps",
		js(`location.hash = '#/lambda'`), js(`location.hash = '#/jobs'`), // reopen the view
		hasText("#emr-clusters", "report", "TERMINATED_WITH_ERRORS", *cl.JobFlowId),
		js(`document.querySelector('[data-cluster]').click()`),
		hasText("#emr-step-list", "count", "COMPLETED", "bad", "FAILED", "no_such_table"))
	b.shot(t, "04-emr")
	b.checkClean(t)
}

// TestBrowserFunctionLogs invokes functions (one that fails) and checks
// the Functions view's statistics and its log viewer with a filter and
// follow mode.
func TestBrowserFunctionLogs(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("needs python3 for the Lambda runtime")
	}
	b := startBrowser(t)
	ctx := t.Context()
	var zbuf bytes.Buffer
	zw := zip.NewWriter(&zbuf)
	w, _ := zw.Create("app.py")
	w.Write([]byte("def handler(event, context):\n    print('order', event.get('n'))\n    if event.get('fail'):\n        raise ValueError('bad order')\n    return {'ok': True}\n"))
	zw.Close()
	lc := b.env.Lambda()
	if _, err := lc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: aws.String("orders"), Runtime: lmtypes.RuntimePython312,
		Handler: aws.String("app.handler"), Role: aws.String("arn:aws:iam::000000000000:role/lambda"), Code: &lmtypes.FunctionCode{ZipFile: zbuf.Bytes()}}); err != nil {
		t.Fatal(err)
	}
	if err := lambda.NewFunctionActiveV2Waiter(lc).Wait(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("orders")}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	invoke := func(payload string) {
		t.Helper()
		if _, err := lc.Invoke(ctx, &lambda.InvokeInput{FunctionName: aws.String("orders"), Payload: []byte(payload)}); err != nil {
			t.Fatal(err)
		}
	}
	invoke(`{"n": 1}`)
	invoke(`{"n": 2}`)
	invoke(`{"n": 3, "fail": true}`)
	b.signIn(t)
	stat := func(name string) string {
		return `document.querySelector('[data-stat="` + name + `"] .value')?.textContent`
	}
	b.do(t, "function statistics",
		js(`location.hash = '#/lambda'`),
		hasText("#functions", "orders"),
		js(`document.querySelector('[data-function="orders"]').click()`),
		wait(stat("Invocations")+` === '3'`),
		wait(stat("Errors")+` === '1'`),
		wait(`/ms$/.test(`+stat("p50")+`) && /ms$/.test(`+stat("p99")+`)`),
		hasText("#fn-invocations", "[ERROR]", "ok"),
		hasText("#fn-log", "order 3", "bad order", "REPORT RequestId"))
	// Newest first: the failing invocation's lines come before the first's.
	if got := b.eval(t, `String((() => { const t = document.getElementById('fn-log').textContent; return t.indexOf('order 3') < t.indexOf('order 1'); })())`); got != "true" {
		t.Errorf("log not newest first")
	}
	b.do(t, "filter the log",
		setField("log-filter", "bad order"),
		wait(`document.getElementById('fn-log').dataset.events !== undefined && !document.getElementById('fn-log').textContent.includes('order 1') && document.getElementById('fn-log').textContent.includes('bad order')`),
		setField("log-filter", ""),
		hasText("#fn-log", "order 1"),
		js(`(() => { const e = document.getElementById('log-follow'); e.checked = true; e.dispatchEvent(new Event('change')); })()`))
	b.shot(t, "01-function-logs")
	invoke(`{"n": 4}`)
	b.do(t, "follow shows a new invocation", hasText("#fn-log", "order 4"), wait(stat("Invocations")+` === '4'`))
	if got := b.eval(t, `String(document.getElementById('fn-log').firstElementChild.textContent.includes('REPORT'))`); got != "true" {
		t.Errorf("followed events not at the top: %s", b.eval(t, `document.getElementById('fn-log').firstElementChild.textContent`))
	}
	b.shot(t, "02-function-follow")
	b.checkClean(t)
}

// TestBrowserParquetPreview previews a .parquet object through api/preview
// (the test's fake seam) with its column types.
func TestBrowserParquetPreview(t *testing.T) {
	b := startBrowser(t)
	ctx := t.Context()
	s3c := b.env.S3()
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String("silver/part-0.parquet"), Body: strings.NewReader("PAR1 not really")}); err != nil {
		t.Fatal(err)
	}
	b.signIn(t)
	b.do(t, "preview parquet",
		js(`location.hash = '#/lake/lake/silver/'`),
		hasText("#objects", "part-0.parquet"),
		clickText("#objects a", "part-0.parquet"),
		hasText("#preview .vgrid", "id (BIGINT)", "kind (VARCHAR)", "amount (DOUBLE)", "buy", "2.5"),
		hasText("#preview", "first 3 rows"),
		hasText("#preview-types", "VARCHAR"))
	b.shot(t, "01-parquet-preview")
	b.checkClean(t)
}
