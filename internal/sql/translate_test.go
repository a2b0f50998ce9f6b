package sql

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
	"github.com/tarnhq/tarn/internal/engine"
)

// fixture is the relation the datadriven "run" cases query as
// events / db.events.
const fixture = `(SELECT * FROM (VALUES
  (1::BIGINT, 'alice', '2024-01-02 03:04:05', ['a', 'b'], '{"user": {"id": 7, "name": "al"}, "n": [1, 2]}', 1.5::DOUBLE, '2024-01-02'),
  (2::BIGINT, 'bob',   '2024-01-03 10:00:00', ['c'],      '{"user": {"id": 8, "name": "bo"}, "n": []}',     2.25::DOUBLE, '2024-01-03'),
  (3::BIGINT, 'carol', '2024-02-01 23:59:59', []::VARCHAR[], '{"user": {"id": 9}}',                      NULL::DOUBLE, '2024-02-01')
) AS v(id, name, ts, tags, payload, amount, dt))`

func fixtureResolver(placeholder bool) resolver {
	return func(ref tableRef) (string, error) {
		db := ref.Database
		if db == "" {
			db = "db"
		}
		if ref.Catalog != "" && ref.Catalog != "awsdatacatalog" {
			return "", &queryError{Code: "CATALOG_NOT_FOUND", Pos: ref.Pos, Msg: fmt.Sprintf("Catalog '%s' does not exist", ref.Catalog)}
		}
		if db != "db" || ref.Name != "events" {
			return "", tableNotFound(ref, db)
		}
		if placeholder {
			return "(<db.events>)", nil
		}
		return fixture, nil
	}
}

func TestTranslate(t *testing.T) {
	e, err := engine.Open(t.Context(), engine.Options{ScratchDir: t.TempDir(), Threads: 2, Connections: 2, IntegerDivision: true})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	datadriven.Run(t, "testdata/translate*.txt", func(t *testing.T, c datadriven.Case) string {
		src := strings.TrimSpace(c.Input)
		switch c.Command {
		case "translate":
			out, err := translate(src, fixtureResolver(true))
			if err != nil {
				return "error: " + engineError(src, err).Error() + "\n"
			}
			return out + "\n"
		case "run":
			out, err := translate(src, fixtureResolver(false))
			if err != nil {
				return "error: " + engineError(src, err).Error() + "\n"
			}
			res, err := collect(t.Context(), e, out, 0)
			if err != nil {
				var qe *queryError
				if !errors.As(err, &qe) {
					qe = engineError(src, err)
				}
				return "error: " + qe.Error() + "\n"
			}
			var b strings.Builder
			for i, c := range res.cols {
				if i > 0 {
					b.WriteString(" | ")
				}
				b.WriteString(c.Name + ":" + c.Type)
			}
			b.WriteString("\n")
			for _, r := range res.rows {
				for i, v := range r {
					if i > 0 {
						b.WriteString(" | ")
					}
					if v == nil {
						b.WriteString("NULL")
					} else {
						b.WriteString(*v)
					}
				}
				b.WriteString("\n")
			}
			return b.String()
		}
		t.Fatalf("%s: unknown command %q", c.Pos(), c.Command)
		return ""
	})
}
