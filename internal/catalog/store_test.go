package catalog

import (
	"fmt"
	"testing"
)

func TestPartitionKeyRoundTrip(t *testing.T) {
	for _, vals := range [][]string{{"2024"}, {"a", "b"}, {"", "x\x00y", "\x00", "\x01", "\xff"}, {}} {
		prefix := prefixOf('p', "r", "d", "t")
		k := keyPartition("r", "d", "t", vals)
		got := partValues(k[len(prefix):])
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", vals) && !(len(vals) == 0 && got == nil) {
			t.Errorf("values %q decode as %q", vals, got)
		}
	}
}
