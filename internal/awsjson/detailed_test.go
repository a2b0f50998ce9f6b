package awsjson

import (
	"context"
	"encoding/json"
	"errors"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

func TestDetailedErrorAndCRC32(t *testing.T) {
	s := NewService("Test", "Test_2020", nil)
	s.RegisterCodec(JSON10)
	s.Handle("Fail", Op(func(ctx context.Context, in *struct{}) (*struct{}, error) {
		return nil, &DetailedError{Err: Errorf("TransactionCanceledException", "cancelled"), Namespace: "com.example.v1",
			MessageKey: "Message", Fields: map[string]any{"CancellationReasons": []map[string]string{{"Code": "None"}}}}
	}))
	h := WithCRC32(s)
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}"))
	req.Header.Set("X-Amz-Target", "Test_2020.Fail")
	req.Header.Set("Content-Type", ContentType10)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	body := w.Body.Bytes()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	if w.Code != 400 || m["__type"] != "com.example.v1#TransactionCanceledException" || m["Message"] != "cancelled" || m["CancellationReasons"] == nil ||
		w.Header().Get("X-Amzn-Errortype") != "TransactionCanceledException" || w.Header().Get("Content-Type") != ContentType10 {
		t.Fatalf("answer = %d %v %v", w.Code, m, w.Header())
	}
	if got := w.Header().Get(CRC32Header); got != strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10) {
		t.Fatalf("crc = %s", got)
	}
	de := &DetailedError{Err: Errorf("X", "y")}
	if !errors.Is(de, &Error{Code: "X"}) {
		t.Fatal("errors.Is by code")
	}
	var ae *Error
	if !errors.As(de, &ae) || ae.Code != "X" {
		t.Fatal("errors.As to *Error")
	}
}
