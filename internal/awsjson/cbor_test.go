package awsjson

import (
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

func TestCBORTimestampIsEpochMillis(t *testing.T) {
	type shape struct {
		At   Timestamp `json:"At"`
		Data []byte    `json:"Data"`
	}
	in := shape{At: Timestamp(time.UnixMilli(1603152823565).UTC()), Data: []byte{1, 2}}
	raw, err := CBOR.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	// tag 1 (0xc1) + uint64 (0x1b) 1603152823565 = 0x00000175435ac50d
	want := "c11b00000175435ac50d"
	if got := hex.EncodeToString(raw); !strings.Contains(got, want) {
		t.Errorf("encoding %s lacks tag 1 with epoch milliseconds %s", got, want)
	}
	var out shape
	if err := CBOR.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	if !out.At.Time().Equal(in.At.Time()) || string(out.Data) != string(in.Data) {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}
}
