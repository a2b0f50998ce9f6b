package stream

import (
	"fmt"
	"strconv"
)

// A sequence number is 50 decimal digits: "49", the stream's epoch (16
// digits, creation time in microseconds), the shard index (12) and the
// JetStream stream sequence of the record (20). Fixed width, so numeric
// and string order agree; strictly increasing within a shard because the
// JetStream sequence is; stable across restarts because JetStream keeps it.
const (
	seqLen      = 50
	seqVersion  = "49"
	epochDigits = 16
	shardDigits = 12
	jsSeqDigits = 20
)

type seqNum struct {
	epoch int64
	shard int
	js    uint64 // JetStream stream sequence; 0 is the shard's start
}

func (s seqNum) String() string {
	return fmt.Sprintf("%s%016d%012d%020d", seqVersion, s.epoch, s.shard, s.js)
}

// parseSeqNum decodes a sequence number tarn produced; ok is false for any
// other string.
func parseSeqNum(s string) (seqNum, bool) {
	if len(s) != seqLen || s[:2] != seqVersion {
		return seqNum{}, false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return seqNum{}, false
		}
	}
	o := len(seqVersion)
	epoch, err1 := strconv.ParseInt(s[o:o+epochDigits], 10, 64)
	o += epochDigits
	shard, err2 := strconv.Atoi(s[o : o+shardDigits])
	o += shardDigits
	js, err3 := strconv.ParseUint(s[o:o+jsSeqDigits], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil {
		return seqNum{}, false
	}
	return seqNum{epoch: epoch, shard: shard, js: js}, true
}
