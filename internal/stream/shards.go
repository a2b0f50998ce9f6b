package stream

import (
	"crypto/md5"
	"fmt"
	"math/big"
	"math/bits"
	"regexp"
)

// u128 is a 128-bit hash key: Kinesis maps MD5(PartitionKey), read as a
// big-endian unsigned integer, into the shards' hash-key ranges.
type u128 struct{ hi, lo uint64 }

func (a u128) cmp(b u128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

func (a u128) big() *big.Int {
	v := new(big.Int).SetUint64(a.hi)
	v.Lsh(v, 64)
	return v.Or(v, new(big.Int).SetUint64(a.lo))
}

func (a u128) String() string { return a.big().String() }

var maxHashKey = u128{^uint64(0), ^uint64(0)}

// hashKeyPattern is AWS's HashKey pattern (ExplicitHashKey, ranges).
var hashKeyPattern = regexp.MustCompile(`^(0|[1-9]\d{0,38})$`)

// parseHashKey parses a decimal hash key; ok is false unless it is a
// decimal in [0, 2^128-1].
func parseHashKey(s string) (u128, bool) {
	if !hashKeyPattern.MatchString(s) {
		return u128{}, false
	}
	v, ok := new(big.Int).SetString(s, 10)
	if !ok || v.BitLen() > 128 {
		return u128{}, false
	}
	lo := new(big.Int).And(v, new(big.Int).SetUint64(^uint64(0))).Uint64()
	return u128{hi: new(big.Int).Rsh(v, 64).Uint64(), lo: lo}, true
}

// partitionHash is the hash key of a partition key: MD5 as a 128-bit
// big-endian integer, exactly as Kinesis computes it.
func partitionHash(key string) u128 {
	sum := md5.Sum([]byte(key))
	var h u128
	for i := range 8 {
		h.hi = h.hi<<8 | uint64(sum[i])
		h.lo = h.lo<<8 | uint64(sum[8+i])
	}
	return h
}

// splitRanges divides [0, 2^128-1] among n shards as AWS does: shard i
// starts at i*floor(2^128/n) and ends one before the next shard's start;
// the last shard ends at 2^128-1.
func splitRanges(n int) [][2]u128 {
	step := div128(uint64(n)) // floor(2^128 / n)
	out := make([][2]u128, n)
	for i := range n {
		out[i][0] = mul128(step, uint64(i))
	}
	for i := range n - 1 {
		out[i][1] = sub1(out[i+1][0])
	}
	out[n-1][1] = maxHashKey
	return out
}

// div128 returns floor(2^128 / d) for d >= 2; for d == 1 it returns
// 2^128-1 (the width of the whole range, minus nothing: shard 0 starts at 0).
func div128(d uint64) u128 {
	if d <= 1 {
		return maxHashKey
	}
	// 2^128 = (2^64) * 2^64: divide the two-word number 1:0:0 by d.
	q1, r := bits.Div64(1, 0, d)
	q0, _ := bits.Div64(r, 0, d)
	return u128{hi: q1, lo: q0}
}

func mul128(a u128, m uint64) u128 {
	hi, lo := bits.Mul64(a.lo, m)
	return u128{hi: hi + a.hi*m, lo: lo}
}

func sub1(a u128) u128 {
	lo, borrow := bits.Sub64(a.lo, 1, 0)
	return u128{hi: a.hi - borrow, lo: lo}
}

// shardID is the AWS shard id of shard index i.
func shardID(i int) string { return fmt.Sprintf("shardId-%012d", i) }

// parseShardID returns the index of a shard id "shardId-NNNNNNNNNNNN".
func parseShardID(s string) (int, bool) {
	var n int
	if _, err := fmt.Sscanf(s, "shardId-%012d", &n); err == nil && s == shardID(n) {
		return n, true
	}
	return 0, false
}

// shardFor returns the index of the shard whose range holds h, given the
// shards' start keys in ascending order.
func shardFor(starts []u128, h u128) int {
	lo, hi := 0, len(starts)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if starts[mid].cmp(h) <= 0 {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func add1(a u128) u128 {
	lo, carry := bits.Add64(a.lo, 1, 0)
	return u128{hi: a.hi + carry, lo: lo}
}

var shardIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]+$`)

// validShardID checks a shard id argument's shape (AWS's ShardId).
func validShardID(field, id string) error {
	if len(id) < 1 || len(id) > 128 {
		return errValidation(field, id, "Member must have length between 1 and 128")
	}
	if !shardIDPattern.MatchString(id) {
		return errValidation(field, id, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	return nil
}
