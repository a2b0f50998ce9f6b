package function

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

func TestPermissions(t *testing.T) {
	h := newHarness(t)
	h.goFunction(t, "p", 3)
	ctx := t.Context()
	if _, err := h.client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("p")}); !errors.As(err, new(*types.ResourceNotFoundException)) {
		t.Fatalf("GetPolicy without a policy: %v", err)
	}
	out, err := h.client.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("s3invoke"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com"),
		SourceArn: aws.String("arn:aws:s3:::lake"), SourceAccount: aws.String("000000000000")})
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal([]byte(aws.ToString(out.Statement)), &st); err != nil || st["Principal"].(map[string]any)["Service"] != "s3.amazonaws.com" ||
		st["Condition"].(map[string]any)["ArnLike"].(map[string]any)["AWS:SourceArn"] != "arn:aws:s3:::lake" {
		t.Fatalf("statement %s (%v)", aws.ToString(out.Statement), err)
	}
	_, err = h.client.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("s3invoke"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
	if !errors.As(err, new(*types.ResourceConflictException)) {
		t.Fatalf("duplicate statement id: %v", err)
	}
	pol, err := h.client.GetPolicy(ctx, &lambda.GetPolicyInput{FunctionName: aws.String("p")})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Version   string
		Statement []map[string]any
	}
	if err := json.Unmarshal([]byte(aws.ToString(pol.Policy)), &doc); err != nil || doc.Version != "2012-10-17" || len(doc.Statement) != 1 {
		t.Fatalf("policy %s", aws.ToString(pol.Policy))
	}
	if _, err := h.client.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("s3invoke")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.RemovePermission(ctx, &lambda.RemovePermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("s3invoke")}); !errors.As(err, new(*types.ResourceNotFoundException)) {
		t.Fatalf("remove twice: %v", err)
	}
	_, err = h.client.AddPermission(ctx, &lambda.AddPermissionInput{FunctionName: aws.String("p"), StatementId: aws.String("bad id!"),
		Action: aws.String("lambda:InvokeFunction"), Principal: aws.String("s3.amazonaws.com")})
	if !errors.As(err, new(*types.InvalidParameterValueException)) {
		t.Fatalf("bad statement id: %v", err)
	}
}
