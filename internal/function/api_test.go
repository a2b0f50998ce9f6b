package function

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestFunctionCRUD(t *testing.T) {
	h := newHarness(t)
	c := h.client
	zip := zipFiles(t, map[string][]byte{"app.py": []byte("def handler(e, c):\n    return e\n")}, 0o644)
	out, err := c.CreateFunction(t.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String("f1"),
		Runtime: types.RuntimePython312, Handler: aws.String("app.handler"), Role: aws.String("arn:aws:iam::000000000000:role/r"),
		Code: &types.FunctionCode{ZipFile: zip}})
	if err != nil {
		t.Fatal(err)
	}
	if out.State != types.StatePending || *out.FunctionArn != "arn:aws:lambda:us-east-1:000000000000:function:f1" ||
		*out.Version != "$LATEST" || *out.Timeout != 3 || *out.MemorySize != 128 || out.CodeSize != int64(len(zip)) {
		t.Fatalf("create: %+v", out)
	}
	h.waitActive(t, "f1")
	_, err = c.CreateFunction(t.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String("f1"),
		Runtime: types.RuntimePython312, Handler: aws.String("app.handler"), Role: aws.String("r"),
		Code: &types.FunctionCode{ZipFile: zip}})
	var conflict *types.ResourceConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("duplicate create: %v", err)
	}
	_, err = c.CreateFunction(t.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String("f2"),
		Runtime: types.RuntimePython312, Handler: aws.String("app.handler"), Role: aws.String("r"),
		Code: &types.FunctionCode{S3Bucket: aws.String("b"), S3Key: aws.String("k")}})
	var invalid *types.InvalidParameterValueException
	if !errors.As(err, &invalid) {
		t.Fatalf("S3 code: %v", err)
	}

	got, err := c.GetFunction(t.Context(), &lambda.GetFunctionInput{FunctionName: aws.String("f1")})
	if err != nil {
		t.Fatal(err)
	}
	if got.Configuration.State != types.StateActive || got.Configuration.LastUpdateStatus != types.LastUpdateStatusSuccessful {
		t.Fatalf("get: %+v", got.Configuration)
	}
	if _, err := c.GetFunction(t.Context(), &lambda.GetFunctionInput{FunctionName: aws.String("nope")}); !isNotFound(err) {
		t.Fatalf("get missing: %v", err)
	}

	up, err := c.UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("f1"),
		Timeout: aws.Int32(10), MemorySize: aws.Int32(256), Environment: &types.Environment{Variables: map[string]string{"A": "1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if *up.Timeout != 10 || *up.MemorySize != 256 || up.LastUpdateStatus != types.LastUpdateStatusInProgress {
		t.Fatalf("update config: %+v", up)
	}
	h.waitUpdated(t, "f1")
	cfg, err := c.GetFunctionConfiguration(t.Context(), &lambda.GetFunctionConfigurationInput{FunctionName: aws.String("f1")})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Environment.Variables["A"] != "1" || *cfg.Timeout != 10 {
		t.Fatalf("config: %+v", cfg)
	}
	zip2 := zipFiles(t, map[string][]byte{"app.py": []byte("def handler(e, c):\n    return 2\n")}, 0o644)
	uc, err := c.UpdateFunctionCode(t.Context(), &lambda.UpdateFunctionCodeInput{FunctionName: aws.String("f1"), ZipFile: zip2})
	if err != nil {
		t.Fatal(err)
	}
	if *uc.CodeSha256 == *out.CodeSha256 {
		t.Fatal("code sha unchanged")
	}
	h.waitUpdated(t, "f1")

	list, err := c.ListFunctions(t.Context(), &lambda.ListFunctionsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Functions) != 1 || *list.Functions[0].FunctionName != "f1" {
		t.Fatalf("list: %+v", list.Functions)
	}
	if _, err := c.DeleteFunction(t.Context(), &lambda.DeleteFunctionInput{FunctionName: aws.String("f1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetFunction(t.Context(), &lambda.GetFunctionInput{FunctionName: aws.String("f1")}); !isNotFound(err) {
		t.Fatalf("get deleted: %v", err)
	}
}

func isNotFound(err error) bool {
	var nf *types.ResourceNotFoundException
	return errors.As(err, &nf)
}

func TestVersionsAliasesConcurrency(t *testing.T) {
	h := newHarness(t)
	c := h.client
	h.goFunction(t, "v", 5)
	v1, err := c.PublishVersion(t.Context(), &lambda.PublishVersionInput{FunctionName: aws.String("v")})
	if err != nil {
		t.Fatal(err)
	}
	if *v1.Version != "1" || *v1.FunctionArn != "arn:aws:lambda:us-east-1:000000000000:function:v:1" {
		t.Fatalf("publish: %+v", v1)
	}
	if _, err := c.UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("v"),
		Environment: &types.Environment{Variables: map[string]string{"STAGE": "two"}}}); err != nil {
		t.Fatal(err)
	}
	h.waitUpdated(t, "v")
	v2, err := c.PublishVersion(t.Context(), &lambda.PublishVersionInput{FunctionName: aws.String("v")})
	if err != nil || *v2.Version != "2" {
		t.Fatalf("publish 2: %v %+v", err, v2)
	}
	vs, err := c.ListVersionsByFunction(t.Context(), &lambda.ListVersionsByFunctionInput{FunctionName: aws.String("v")})
	if err != nil || len(vs.Versions) != 3 {
		t.Fatalf("versions: %v %+v", err, vs)
	}
	a, err := c.CreateAlias(t.Context(), &lambda.CreateAliasInput{FunctionName: aws.String("v"), Name: aws.String("live"), FunctionVersion: aws.String("1")})
	if err != nil || *a.AliasArn != "arn:aws:lambda:us-east-1:000000000000:function:v:live" {
		t.Fatalf("alias: %v %+v", err, a)
	}
	stage := func(qual string) any {
		out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("v"), Qualifier: aws.String(qual), Payload: []byte(`{"mode":"env"}`)})
		if out.FunctionError != nil {
			t.Fatalf("%s: %s", qual, out.Payload)
		}
		m := decodeMap(t, out.Payload)
		if m["AWS_LAMBDA_FUNCTION_VERSION"] != *out.ExecutedVersion {
			t.Fatalf("executed %s, env says %v", *out.ExecutedVersion, m["AWS_LAMBDA_FUNCTION_VERSION"])
		}
		return m["STAGE"]
	}
	if got := stage("live"); got != nil {
		t.Fatalf("live (v1) STAGE = %v", got)
	}
	if got := stage("2"); got != "two" {
		t.Fatalf("v2 STAGE = %v", got)
	}
	if _, err := c.UpdateAlias(t.Context(), &lambda.UpdateAliasInput{FunctionName: aws.String("v"), Name: aws.String("live"), FunctionVersion: aws.String("2")}); err != nil {
		t.Fatal(err)
	}
	if got := stage("live"); got != "two" {
		t.Fatalf("live (v2) STAGE = %v", got)
	}
	// full ARN form
	out0 := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("arn:aws:lambda:us-east-1:000000000000:function:v:live"), Payload: []byte(`{"mode":"echo"}`)})
	if *out0.ExecutedVersion != "2" {
		t.Fatalf("ARN:live executed %s", *out0.ExecutedVersion)
	}
	// name:qualifier form
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("v:1"), Payload: []byte(`{"mode":"echo"}`)})
	if *out.ExecutedVersion != "1" {
		t.Fatalf("v:1 executed %s", *out.ExecutedVersion)
	}
	ga, err := c.GetAlias(t.Context(), &lambda.GetAliasInput{FunctionName: aws.String("v"), Name: aws.String("live")})
	if err != nil || *ga.FunctionVersion != "2" {
		t.Fatalf("get alias: %v %+v", err, ga)
	}
	la, err := c.ListAliases(t.Context(), &lambda.ListAliasesInput{FunctionName: aws.String("v")})
	if err != nil || len(la.Aliases) != 1 {
		t.Fatalf("list aliases: %v %+v", err, la)
	}
	if _, err := c.GetAlias(t.Context(), &lambda.GetAliasInput{FunctionName: aws.String("v"), Name: aws.String("nope")}); !isNotFound(err) {
		t.Fatalf("missing alias: %v", err)
	}
	if _, err := c.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("v"), Qualifier: aws.String("9")}); !isNotFound(err) {
		t.Fatalf("missing version: %v", err)
	}

	if _, err := c.PutFunctionConcurrency(t.Context(), &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("v"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	_, err = c.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("v")})
	var tm *types.TooManyRequestsException
	if !errors.As(err, &tm) {
		t.Fatalf("reserved 0: %v", err)
	}
	if _, err := c.DeleteFunctionConcurrency(t.Context(), &lambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("v")}); err != nil {
		t.Fatal(err)
	}
	h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("v")})

	dry, err := c.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("v"), InvocationType: types.InvocationTypeDryRun})
	if err != nil || dry.StatusCode != 204 {
		t.Fatalf("dry run: %v %+v", err, dry)
	}
}

func TestTagsAndReservedEnv(t *testing.T) {
	h := newHarness(t)
	c := h.client
	h.goFunction(t, "tg", 3)
	arn := "arn:aws:lambda:us-east-1:000000000000:function:tg"
	if _, err := c.TagResource(t.Context(), &lambda.TagResourceInput{Resource: aws.String(arn), Tags: map[string]string{"team": "data", "x": "y"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UntagResource(t.Context(), &lambda.UntagResourceInput{Resource: aws.String(arn), TagKeys: []string{"x"}}); err != nil {
		t.Fatal(err)
	}
	tags, err := c.ListTags(t.Context(), &lambda.ListTagsInput{Resource: aws.String(arn)})
	if err != nil || len(tags.Tags) != 1 || tags.Tags["team"] != "data" {
		t.Fatalf("tags: %v %+v", err, tags)
	}
	_, err = c.UpdateFunctionConfiguration(t.Context(), &lambda.UpdateFunctionConfigurationInput{FunctionName: aws.String("tg"),
		Environment: &types.Environment{Variables: map[string]string{"AWS_REGION": "eu-west-1"}}})
	var invalid *types.InvalidParameterValueException
	if !errors.As(err, &invalid) {
		t.Fatalf("reserved key accepted: %v", err)
	}
}

func TestDeleteVersion(t *testing.T) {
	h := newHarness(t)
	c := h.client
	h.goFunction(t, "dv", 3)
	if _, err := c.PublishVersion(t.Context(), &lambda.PublishVersionInput{FunctionName: aws.String("dv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateAlias(t.Context(), &lambda.CreateAliasInput{FunctionName: aws.String("dv"), Name: aws.String("a"), FunctionVersion: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	_, err := c.DeleteFunction(t.Context(), &lambda.DeleteFunctionInput{FunctionName: aws.String("dv"), Qualifier: aws.String("1")})
	var conflict *types.ResourceConflictException
	if !errors.As(err, &conflict) {
		t.Fatalf("delete aliased version: %v", err)
	}
	if _, err := c.DeleteAlias(t.Context(), &lambda.DeleteAliasInput{FunctionName: aws.String("dv"), Name: aws.String("a")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteFunction(t.Context(), &lambda.DeleteFunctionInput{FunctionName: aws.String("dv"), Qualifier: aws.String("1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetFunction(t.Context(), &lambda.GetFunctionInput{FunctionName: aws.String("dv"), Qualifier: aws.String("1")}); !isNotFound(err) {
		t.Fatalf("deleted version: %v", err)
	}
	h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("dv")})
}

// mapCode is a CodeSource over a map, standing in for the platform's S3 adapter.
type mapCode map[string][]byte

func (m mapCode) GetObject(_ context.Context, bucket, key, _ string) ([]byte, error) {
	if b, ok := m[bucket+"/"+key]; ok {
		return b, nil
	}
	return nil, errors.New("NoSuchKey")
}

func TestCodeFromS3AndPaging(t *testing.T) {
	h := newHarnessOpts(t, Options{Code: mapCode{"lake/fn.zip": goZip(t)}})
	c := h.client
	for _, n := range []string{"a", "b", "c"} {
		h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String(n), Runtime: types.RuntimeProvidedal2,
			Code: &types.FunctionCode{S3Bucket: aws.String("lake"), S3Key: aws.String("fn.zip")}})
	}
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("b"), Payload: []byte(`{"mode":"echo"}`)})
	if out.FunctionError != nil {
		t.Fatalf("S3 code: %s", out.Payload)
	}
	_, err := c.CreateFunction(t.Context(), &lambda.CreateFunctionInput{FunctionName: aws.String("d"), Runtime: types.RuntimeProvidedal2,
		Role: aws.String("r"), Code: &types.FunctionCode{S3Bucket: aws.String("lake"), S3Key: aws.String("missing.zip")}})
	var invalid *types.InvalidParameterValueException
	if !errors.As(err, &invalid) {
		t.Fatalf("missing S3 key: %v", err)
	}
	var names []string
	p := lambda.NewListFunctionsPaginator(c, &lambda.ListFunctionsInput{MaxItems: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Functions) > 2 {
			t.Fatalf("page of %d", len(page.Functions))
		}
		for _, f := range page.Functions {
			names = append(names, *f.FunctionName)
		}
	}
	if strings.Join(names, ",") != "a,b,c" {
		t.Fatalf("listed %v", names)
	}
}

func TestGoAPI(t *testing.T) {
	h := newHarness(t)
	h.goFunction(t, "gapi", 3)
	out, err := h.svc.Invoke(t.Context(), "", "gapi", "", []byte(`{"mode":"echo"}`))
	if err != nil || out.FunctionError != "" || !strings.Contains(string(out.Payload), `"echo"`) {
		t.Fatalf("Invoke: %v %+v", err, out)
	}
	if _, err := h.svc.Invoke(t.Context(), "", "nope", "", []byte(`{}`)); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Invoke missing: %v", err)
	}
	if _, err := h.svc.Enqueue("", "gapi", "", []byte(`{"mode":"echo"}`)); err != nil {
		t.Fatal(err)
	}
}
