package emr

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
)

// post sends a raw JSON 1.1 request (bypassing the SDK's own checks) and
// returns the status and the decoded body.
func (h *harness) post(t *testing.T, op, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "ElasticMapReduce."+op)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("%s: %s", op, raw)
	}
	return resp.StatusCode, m
}

func TestBadInput(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	cases := []struct{ op, body, code, msg string }{
		{"RunJobFlow", `{"Instances":{}}`, "ValidationException", "Value null at 'name'"},
		{"RunJobFlow", `{"Name":"x"}`, "ValidationException", "Value null at 'instances'"},
		{"RunJobFlow", `{"Name":"x","Instances":{},"Steps":[{"Name":"s"}]}`, "ValidationException", "steps.1.member.hadoopJarStep"},
		{"RunJobFlow", `{"Name":"x","Instances":{},"Steps":[{"Name":"s","ActionOnFailure":"EXPLODE","HadoopJarStep":{"Jar":"a.jar"}}]}`, "ValidationException", "actionOnFailure"},
		{"RunJobFlow", `{"Name":"x","Instances":{"InstanceGroups":[{"InstanceRole":"CORE","InstanceType":"m5.xlarge","InstanceCount":2}]}}`, "ValidationException", "MASTER"},
		{"RunJobFlow", `{"Name":"x","Instances":{},"LogUri":"/tmp/logs"}`, "ValidationException", "LogUri"},
		{"DescribeCluster", `{"ClusterId":"j-NOSUCHCLUSTER"}`, "InvalidRequestException", "Cluster id 'j-NOSUCHCLUSTER' is not valid."},
		{"DescribeCluster", `{}`, "ValidationException", "clusterId"},
		{"ListSteps", `{"ClusterId":"j-NOSUCHCLUSTER"}`, "InvalidRequestException", "is not valid"},
		{"ListClusters", `{"ClusterStates":["SLEEPING"]}`, "ValidationException", "enum value set"},
		{"AddJobFlowSteps", `{"JobFlowId":"j-NOSUCHCLUSTER","Steps":[]}`, "ValidationException", "job flow ID"},
		{"RunJobFlow", `{"Name": 5}`, "SerializationException", ""},
		{"DescribeJobFlows", `{"JobFlowStates":["DONE"]}`, "ValidationException", "enum value set"},
		{"ModifyCluster", `{}`, "UnknownOperationException", "ModifyCluster"},
	}
	for _, tc := range cases {
		status, m := h.post(t, tc.op, tc.body)
		msg, _ := m["Message"].(string)
		if msg == "" {
			msg, _ = m["message"].(string)
		}
		if status != 400 || m["__type"] != tc.code || !strings.Contains(msg, tc.msg) {
			t.Errorf("%s %s: %d %v", tc.op, tc.body, status, m)
		}
	}
	_, err := h.client.DescribeCluster(ctx, &awsemr.DescribeClusterInput{ClusterId: aws.String("j-NOSUCHCLUSTER")})
	wantCode(t, err, "InvalidRequestException")
	_, err = h.client.DescribeStep(ctx, &awsemr.DescribeStepInput{ClusterId: aws.String("j-NOSUCHCLUSTER"), StepId: aws.String("s-X")})
	wantCode(t, err, "InvalidRequestException")
	id := h.run(t, "x", true)
	_, err = h.client.DescribeStep(ctx, &awsemr.DescribeStepInput{ClusterId: &id, StepId: aws.String("s-NOSUCHSTEP0000")})
	wantCode(t, err, "InvalidRequestException")
}

// TestStepsThatCannotRun: bad arguments, other JARs and spark-submit
// without Spark Connect fail at once with a message saying why.
func TestStepsThatCannotRun(t *testing.T) {
	h := newHarness(t)
	cases := []struct {
		step   types.StepConfig
		reason string
		msg    string
	}{
		{sqlStep("no -e/-f", "", "spark-sql", "--database", "x"), "Invalid step arguments", "needs -e <sql> or -f"},
		{sqlStep("dangling", "", "spark-sql", "-e"), "Invalid step arguments", "option -e needs a value"},
		{sqlStep("unknown flag", "", "hive", "--frobnicate", "-e", "SELECT 1"), "Invalid step arguments", "unrecognized argument"},
		{sqlStep("bad define", "", "hive", "-d", "novalue", "-e", "SELECT 1"), "Invalid step arguments", "key=value"},
		{sqlStep("hive-script", "", "hive-script", "--run-hive-script"), "Invalid step arguments", "missing --args"},
		{sqlStep("missing script", "", "spark-sql", "-f", "s3://scripts/none.sql"), "Script not found", "s3://scripts/none.sql"},
		{sqlStep("local script", "", "spark-sql", "-f", "/home/hadoop/q.sql"), "Invalid step arguments", "not an s3://bucket/key URI"},
		{sqlStep("spark-submit", "", "spark-submit", "--deploy-mode", "cluster", "s3://code/job.py"), "Unsupported step", "needs a Spark cluster"},
		{sqlStep("other command", "", "hadoop-streaming", "-input", "x"), "Unsupported step", "the command hadoop-streaming"},
		{sqlStep("no command", ""), "Invalid step arguments", "needs a command"},
		{types.StepConfig{Name: aws.String("custom jar"), HadoopJarStep: &types.HadoopJarStepConfig{Jar: aws.String("s3://code/app.jar"), MainClass: aws.String("Main")}},
			"Unsupported step", "the JAR step s3://code/app.jar"},
	}
	var steps []types.StepConfig
	for _, tc := range cases {
		tc.step.ActionOnFailure = types.ActionOnFailureContinue
		steps = append(steps, tc.step)
	}
	id := h.run(t, "bad steps", false, steps...)
	h.waitState(t, id, types.ClusterStateTerminated)
	for i, sid := range h.stepIDs(t, id) {
		st := h.step(t, id, sid)
		fd := st.Status.FailureDetails
		if st.Status.State != types.StepStateFailed || fd == nil || *fd.Reason != cases[i].reason || !strings.Contains(*fd.Message, cases[i].msg) {
			t.Errorf("%s: %s %+v", *st.Name, st.Status.State, fd)
		}
	}
	if n := len(h.fake.statements()); n != 0 {
		t.Fatalf("%d statements ran", n)
	}
}

func TestNoSQLRunner(t *testing.T) {
	h := &harness{dir: t.TempDir(), lake: &memLake{objs: map[string][]byte{}}, clock: &clock{}}
	h.open(t)
	id := h.run(t, "x", false, sqlStep("s", "", "spark-sql", "-e", "SELECT 1"))
	h.waitState(t, id, types.ClusterStateTerminatedWithErrors)
	st := h.step(t, id, h.stepIDs(t, id)[0])
	if !strings.Contains(*st.Status.FailureDetails.Message, "no SQL engine") {
		t.Fatalf("message = %s", *st.Status.FailureDetails.Message)
	}
}

// TestSparkSubmitPython runs a .py step with python3 and SPARK_REMOTE set
// (the script does not import pyspark: it proves what tarn hands it).
func TestSparkSubmitPython(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 not installed")
	}
	h := &harness{dir: t.TempDir(), lake: &memLake{objs: map[string][]byte{}}, clock: &clock{},
		opts: Options{SparkConnect: "sc://127.0.0.1:15002"}}
	h.open(t)
	h.lake.put("s3://code/job.py", "import os, sys\nprint('remote=' + os.environ['SPARK_REMOTE'], 'args=' + ','.join(sys.argv[1:]))\n")
	h.lake.put("s3://code/fail.py", "import sys\nsys.stderr.write('no pyspark here\\n')\nsys.exit(3)\n")
	out, err := h.client.RunJobFlow(context.Background(), &awsemr.RunJobFlowInput{Name: aws.String("py"), LogUri: aws.String("s3://logs/"),
		Instances: &types.JobFlowInstancesConfig{},
		Steps: []types.StepConfig{
			sqlStep("ok", types.ActionOnFailureContinue, "spark-submit", "--conf", "spark.x=1", "--deploy-mode=cluster", "s3://code/job.py", "a", "b"),
			sqlStep("fail", types.ActionOnFailureContinue, "spark-submit", "s3://code/fail.py"),
			sqlStep("jar", types.ActionOnFailureContinue, "spark-submit", "s3://code/app.jar")}})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.JobFlowId
	h.waitState(t, id, types.ClusterStateTerminated)
	ids := h.stepIDs(t, id)
	if st := h.step(t, id, ids[0]); st.Status.State != types.StepStateCompleted {
		t.Fatalf("ok = %+v", st.Status.FailureDetails)
	}
	if s := h.lake.gunzip(t, "s3://logs/"+id+"/steps/"+ids[0]+"/stdout.gz"); s != "remote=sc://127.0.0.1:15002 args=a,b\n" {
		t.Fatalf("stdout = %q", s)
	}
	fail := h.step(t, id, ids[1])
	if fd := fail.Status.FailureDetails; *fd.Reason != "PySpark script exited with status 3" || !strings.Contains(*fd.Message, "no pyspark here") {
		t.Fatalf("fail = %+v", fd)
	}
	if fd := h.step(t, id, ids[2]).Status.FailureDetails; !strings.Contains(*fd.Message, "only PySpark (.py)") {
		t.Fatalf("jar = %+v", fd)
	}
}
