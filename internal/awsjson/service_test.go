package awsjson

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/request"
)

type echoIn struct {
	Data []byte     `json:"Data"`
	At   *Timestamp `json:"At,omitempty"`
	N    int        `json:"N"`
}

type echoOut struct {
	Data []byte    `json:"Data"`
	At   Timestamp `json:"At"`
	Op   string    `json:"Op"`
}

func testService() *Service {
	s := NewService("Test", "Test_2020", nil)
	s.Handle("Echo", Op(func(ctx context.Context, in *echoIn) (*echoOut, error) {
		if in.N < 0 {
			return nil, Errorf("InvalidArgumentException", "N is %d", in.N)
		}
		out := &echoOut{Data: in.Data, Op: request.From(ctx).Operation()}
		if in.At != nil {
			out.At = *in.At
		}
		return out, nil
	}))
	s.Unimplemented("Later")
	return s
}

func call(t *testing.T, target, body string) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Content-Type", ContentType)
	req = req.WithContext(request.With(req.Context(), request.NewInfo("test")))
	w := httptest.NewRecorder()
	testService().ServeHTTP(w, req)
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s: body %q: %v", target, w.Body, err)
	}
	return w, m
}

func TestDispatch(t *testing.T) {
	w, m := call(t, "Test_2020.Echo", `{"Data":"aGk=","At":1700000000.25,"Extra":true}`)
	if w.Code != 200 || m["Data"] != "aGk=" || m["At"] != 1700000000.25 || m["Op"] != "Echo" ||
		w.Header().Get("Content-Type") != ContentType || w.Header().Get("x-amzn-RequestId") == "" {
		t.Fatalf("Echo = %d %v %v", w.Code, m, w.Header())
	}
	if w, _ := call(t, "Test_2020.Echo", ""); w.Code != 200 {
		t.Fatalf("empty body = %d", w.Code)
	}
	for _, tc := range []struct {
		target, body, code string
		status             int
	}{
		{"Test_2020.Nope", "{}", CodeUnknownOperation, 400},
		{"Test_2020.Later", "{}", CodeUnknownOperation, 400},
		{"Other_2020.Echo", "{}", CodeUnknownOperation, 400},
		{"Test_2020.Echo", "{", CodeSerialization, 400},
		{"Test_2020.Echo", `{"N":"x"}`, CodeSerialization, 400},
		{"Test_2020.Echo", `{"At":"2020-01-01"}`, CodeSerialization, 400},
		{"Test_2020.Echo", `{"N":-1}`, "InvalidArgumentException", 400},
	} {
		w, m := call(t, tc.target, tc.body)
		if w.Code != tc.status || m["__type"] != tc.code || w.Header().Get("X-Amzn-Errortype") != tc.code {
			t.Errorf("%s %s = %d %v", tc.target, tc.body, w.Code, m)
		}
		if tc.code == CodeUnknownOperation && !strings.Contains(m["message"].(string), strings.TrimPrefix(tc.target[strings.Index(tc.target, ".")+1:], "")) {
			t.Errorf("%s: message %q does not name the operation", tc.target, m["message"])
		}
	}
}

func TestTimestampRoundTrip(t *testing.T) {
	at := time.UnixMilli(1700000000123).UTC()
	b, _ := json.Marshal(Timestamp(at))
	if string(b) != "1700000000.123" {
		t.Fatalf("marshal = %s", b)
	}
	var got Timestamp
	if err := json.Unmarshal(b, &got); err != nil || !got.Time().Equal(at) {
		t.Fatalf("unmarshal = %v %v", got.Time(), err)
	}
}

// TestSerializationErrorsNameTheMember: a member of the wrong JSON type is
// a SerializationException naming the member and the types, without Go's
// type names.
func TestSerializationErrorsNameTheMember(t *testing.T) {
	type in struct {
		TableName string
		Limit     int
		Tags      []string
	}
	for body, want := range map[string]string{
		`{"TableName": 5}`:     "malformed request: TableName must be a string, not number",
		`{"Limit": "ten"}`:     "malformed request: Limit must be a number, not string",
		`{"Tags": {"a": "b"}}`: "malformed request: Tags must be an array, not object",
	} {
		err := json.Unmarshal([]byte(body), new(in))
		if got := serializationMessage(err); got != want {
			t.Errorf("%s: %q, want %q", body, got, want)
		}
	}
}
