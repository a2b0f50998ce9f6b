package function

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// A function that holds more resident memory than its MemorySize is
// killed with Lambda's Runtime.OutOfMemory; one within it is not, and the
// REPORT line shows its peak.
func TestMemorySizeKills(t *testing.T) {
	h := newHarness(t)
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String("mem"), Runtime: types.RuntimeProvidedal2023,
		Handler: aws.String("bootstrap"), Code: &types.FunctionCode{ZipFile: goZip(t)}, Timeout: aws.Int32(10),
		MemorySize: aws.Int32(128)})
	out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("mem"), LogType: types.LogTypeTail,
		Payload: []byte(`{"mode":"alloc","n":16,"ms":50}`)})
	if out.FunctionError != nil {
		t.Fatalf("16 MB in 128 MB: %s", out.Payload)
	}
	out = h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("mem"), LogType: types.LogTypeTail,
		Payload: []byte(`{"mode":"alloc","n":400,"ms":2000}`)})
	m := decodeMap(t, out.Payload)
	if aws.ToString(out.FunctionError) != "Unhandled" || m["errorType"] != "Runtime.OutOfMemory" {
		t.Fatalf("400 MB in 128 MB: %v %s", out.FunctionError, out.Payload)
	}
	tail, _ := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
	if !strings.Contains(string(tail), "Memory Size: 128 MB\tMax Memory Used: 128 MB") {
		t.Fatalf("REPORT after OOM: %s", tail)
	}
	if out := h.invoke(t, &lambda.InvokeInput{FunctionName: aws.String("mem"), Payload: []byte(`{"mode":"echo"}`)}); out.FunctionError != nil {
		t.Fatalf("after OOM: %s", out.Payload)
	}
}
