package partiql

import (
	"testing"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// BenchmarkParse measures Parse of typical statements (reported per
// statement).
func BenchmarkParse(b *testing.B) {
	stmts := []struct {
		src    string
		params []attr.Value
	}{
		{`SELECT * FROM "Orders" WHERE OrderID = ? AND Total > 500`, []attr.Value{attr.String("o1")}},
		{`INSERT INTO "Music" VALUE {'Artist': 'Acme Band', 'SongTitle': 'PartiQL Rocks', 'Awards': [1, 2], 'Tags': <<'a', 'b'>>}`, nil},
		{`UPDATE "Music" SET Plays = Plays + 1 REMOVE Stale WHERE Artist = ? AND SongTitle = ? RETURNING ALL NEW *`, []attr.Value{attr.String("a"), attr.String("s")}},
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range stmts {
			if _, err := Parse(s.src, s.params); err != nil {
				b.Fatal(err)
			}
		}
	}
}
