package stream

import (
	"math/big"
	"testing"
)

func TestSplitRangesMatchesAWS(t *testing.T) {
	// Ranges as AWS reports them for CreateStream with 1, 2 and 3 shards.
	for _, tc := range []struct {
		n    int
		want [][2]string
	}{
		{1, [][2]string{{"0", "340282366920938463463374607431768211455"}}},
		{2, [][2]string{
			{"0", "170141183460469231731687303715884105727"},
			{"170141183460469231731687303715884105728", "340282366920938463463374607431768211455"}}},
		{3, [][2]string{
			{"0", "113427455640312821154458202477256070484"},
			{"113427455640312821154458202477256070485", "226854911280625642308916404954512140969"},
			{"226854911280625642308916404954512140970", "340282366920938463463374607431768211455"}}},
	} {
		got := splitRanges(tc.n)
		for i, r := range got {
			if r[0].String() != tc.want[i][0] || r[1].String() != tc.want[i][1] {
				t.Errorf("n=%d shard %d = [%s, %s], want %v", tc.n, i, r[0], r[1], tc.want[i])
			}
		}
	}
}

func TestSplitRangesContiguous(t *testing.T) {
	two128 := new(big.Int).Lsh(big.NewInt(1), 128)
	for _, n := range []int{1, 4, 7, 64, 500, 10000} {
		rs := splitRanges(n)
		step := new(big.Int).Div(two128, big.NewInt(int64(n)))
		for i, r := range rs {
			if want := new(big.Int).Mul(step, big.NewInt(int64(i))); r[0].big().Cmp(want) != 0 {
				t.Fatalf("n=%d shard %d starts at %s, want %s", n, i, r[0], want)
			}
			if i > 0 && sub1(r[0]) != rs[i-1][1] {
				t.Fatalf("n=%d gap before shard %d", n, i)
			}
		}
		if rs[n-1][1] != maxHashKey {
			t.Fatalf("n=%d last shard ends at %s", n, rs[n-1][1])
		}
	}
}

func TestPartitionHashAndRouting(t *testing.T) {
	// MD5("a") = 0cc175b9c0f1b6a831c399e269772661.
	want, _ := new(big.Int).SetString("0cc175b9c0f1b6a831c399e269772661", 16)
	if got := partitionHash("a").big(); got.Cmp(want) != 0 {
		t.Fatalf("hash(a) = %s, want %s", got, want)
	}
	rs := splitRanges(4)
	starts := make([]u128, len(rs))
	for i, r := range rs {
		starts[i] = r[0]
	}
	for i, r := range rs {
		for _, k := range []u128{r[0], r[1]} {
			if got := shardFor(starts, k); got != i {
				t.Errorf("key %s routed to %d, want %d", k, got, i)
			}
		}
	}
}

func TestParseHashKey(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"0", true}, {"340282366920938463463374607431768211455", true},
		{"340282366920938463463374607431768211456", false}, {"01", false}, {"-1", false}, {"", false}, {"1e3", false},
	} {
		v, ok := parseHashKey(tc.in)
		if ok != tc.ok || (ok && v.String() != tc.in) {
			t.Errorf("parseHashKey(%q) = %s, %v", tc.in, v, ok)
		}
	}
}

func TestSeqNumRoundTripAndOrder(t *testing.T) {
	a := seqNum{epoch: 1700000000123456, shard: 3, js: 41}
	b := seqNum{epoch: a.epoch, shard: 3, js: 42}
	if len(a.String()) != seqLen {
		t.Fatalf("len = %d", len(a.String()))
	}
	if got, ok := parseSeqNum(a.String()); !ok || got != a {
		t.Fatalf("round trip %v -> %s -> %v %v", a, a, got, ok)
	}
	if !(a.String() < b.String()) {
		t.Fatal("sequence numbers not increasing")
	}
	for _, bad := range []string{"", "1", a.String()[1:], "48" + a.String()[2:], a.String()[:49] + "x"} {
		if _, ok := parseSeqNum(bad); ok {
			t.Errorf("parseSeqNum(%q) accepted", bad)
		}
	}
	if id, ok := parseShardID("shardId-000000000007"); !ok || id != 7 {
		t.Fatalf("parseShardID = %d %v", id, ok)
	}
	if _, ok := parseShardID("shardId-7"); ok {
		t.Fatal("short shard id accepted")
	}
}
