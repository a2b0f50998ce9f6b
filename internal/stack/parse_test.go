package stack

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
)

var testSettings = []Setting{{Key: "addr", Doc: "listen address"}, {Key: "log_level", Doc: "level", Enum: []string{"info", "debug"}}}

// TestParseData: each case parses its input as tarn.yaml and prints either
// the resources found, in apply order with their lines, or the error.
func TestParseData(t *testing.T) {
	datadriven.Run(t, "testdata/parse*.txt", func(t *testing.T, c datadriven.Case) string {
		s, err := Parse("tarn.yaml", []byte(c.Input), testSettings...)
		if err != nil {
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("%s: error %v does not wrap ErrInvalid", c.Pos(), err)
			}
			return "error: " + err.Error() + "\n"
		}
		var b strings.Builder
		for _, r := range s.resources() {
			b.WriteString(r.kind + " " + r.name + " at line " + strconv.Itoa(s.line(r.path)) + "\n")
		}
		if b.Len() == 0 {
			return "empty\n"
		}
		return b.String()
	})
}
