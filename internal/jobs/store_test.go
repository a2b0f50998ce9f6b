package jobs

import (
	"encoding/base64"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/kv"
)

// TestOffsetPage walks a listing by offset tokens and rejects forged ones
// (GetJobRuns and GetWorkflowRuns page this way).
func TestOffsetPage(t *testing.T) {
	items := []int{10, 11, 12, 13, 14}
	var got []int
	tok, pages := "", 0
	for {
		p, next, err := offsetPage(items, tok, 2)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, p...)
		pages++
		if next == "" || pages > 5 {
			break
		}
		tok = next
	}
	if !slices.Equal(got, items) || pages != 3 {
		t.Errorf("paged %v in %d pages, want %v in 3", got, pages, items)
	}
	end := base64.RawURLEncoding.EncodeToString([]byte("5"))
	if p, next, err := offsetPage(items, end, 2); err != nil || len(p) != 0 || next != "" {
		t.Errorf("token at the end = %v, %q, %v; want empty, \"\", nil", p, next, err)
	}
	for _, bad := range []string{"!!", base64.RawURLEncoding.EncodeToString([]byte("x")),
		base64.RawURLEncoding.EncodeToString([]byte("-1")), base64.RawURLEncoding.EncodeToString([]byte("6"))} {
		if _, _, err := offsetPage(items, bad, 2); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("offsetPage(%q) error = %v, want InvalidInputException", bad, err)
		}
	}
}

func TestNewestFirst(t *testing.T) {
	at := func(sec int64) *awsjson.Timestamp {
		ts := awsjson.Timestamp(time.Unix(sec, 0))
		return &ts
	}
	runs := []*runRecord{
		{Run: JobRun{Id: "old", StartedOn: at(1)}, Created: 9},
		{Run: JobRun{Id: "tie-early", StartedOn: at(2)}, Created: 1},
		{Run: JobRun{Id: "tie-late", StartedOn: at(2)}, Created: 2},
		{Run: JobRun{Id: "new", StartedOn: at(3)}, Created: 0},
	}
	newestFirst(runs)
	var ids []string
	for _, r := range runs {
		ids = append(ids, r.Run.Id)
	}
	if want := []string{"new", "tie-late", "tie-early", "old"}; !slices.Equal(ids, want) {
		t.Errorf("newestFirst = %v, want %v", ids, want)
	}
}

// TestPageAndDeletePrefix checks the store helpers over kv: a forged page
// token is InvalidInputException, and deletePrefix drops exactly its keys.
func TestPageAndDeletePrefix(t *testing.T) {
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sp := db.Space("jobs/")
	for _, k := range [][]byte{keyRun("r", "a", "1"), keyRun("r", "a", "2"), keyRun("r", "ab", "1"), keyJob("r", "a")} {
		if err := sp.Set(k, []byte("{}")); err != nil {
			t.Fatal(err)
		}
	}
	keep := func(_, _ []byte) (bool, error) { return true, nil }
	forged := kv.PageToken(keyJob("r", "a"))
	if _, err := page(sp, kv.KeyPrefix('r', "r", "a"), forged, 10, keep); !errors.Is(err, ErrInvalidInput) {
		t.Errorf("page with a token of another listing = %v, want InvalidInputException", err)
	}
	b := db.NewBatch()
	deletePrefix(b, sp, kv.KeyPrefix('r', "r", "a"))
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	var left []string
	if err := sp.Scan(nil, nil, func(k, _ []byte) (bool, error) { left = append(left, string(k)); return true, nil }); err != nil {
		t.Fatal(err)
	}
	if want := []string{string(keyJob("r", "a")), string(keyRun("r", "ab", "1"))}; !slices.Equal(left, want) {
		t.Errorf("after deletePrefix: %q, want %q", left, want)
	}
}
