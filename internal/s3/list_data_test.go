package s3

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Datadriven listing tests: each testdata/list/*.txt file is a sequence
// of blocks, each a directive line, body lines and a "----" line:
//
//	keys                      the bucket "data" now holds exactly these
//	a/b                       keys (one per line; a line starting with '"'
//	"tab\tkey"                is a Go-quoted string); body = the key itself
//	----
//	list list-type=2&delimiter=/    GET /data?<query>; the body is the
//	200                             expected status and response XML
//	<ListBucketResult ...>          (re-indented, RequestId/HostId dropped)
//	----
//
// Lines starting with '#' between blocks are comments. With -rewrite the
// expected outputs are regenerated in place.

func init() {
	// Registered once even if another test file of the package also wants -rewrite.
	if flag.Lookup("rewrite") == nil {
		flag.Bool("rewrite", false, "rewrite datadriven testdata files with the actual output")
	}
}

func rewriteFlag() bool {
	f := flag.Lookup("rewrite")
	return f != nil && f.Value.String() == "true"
}

type ddBlock struct {
	comments []string
	cmd      string
	body     []string
}

func parseDD(t *testing.T, text string) []ddBlock {
	var blocks []ddBlock
	var cur *ddBlock
	var comments []string
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		switch {
		case cur == nil && (line == "" || strings.HasPrefix(line, "#")):
			comments = append(comments, line)
		case cur == nil:
			cur = &ddBlock{comments: comments, cmd: line}
			comments = nil
		case line == "----":
			blocks = append(blocks, *cur)
			cur = nil
		default:
			cur.body = append(cur.body, line)
		}
	}
	if cur != nil {
		t.Fatalf("block %q has no closing ----", cur.cmd)
	}
	return blocks
}

func TestListDatadriven(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "list", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/list files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			blocks := parseDD(t, string(raw))
			var env *testEnv
			var out strings.Builder
			for _, b := range blocks {
				for _, c := range b.comments {
					out.WriteString(c + "\n")
				}
				out.WriteString(b.cmd + "\n")
				verb, arg, _ := strings.Cut(b.cmd, " ")
				switch verb {
				case "keys":
					env = newTestEnv(t)
					seedBucket(t, env.svc, "data")
					for _, line := range b.body {
						key := line
						if strings.HasPrefix(line, `"`) {
							if key, err = strconv.Unquote(line); err != nil {
								t.Fatalf("key %s: %v", line, err)
							}
						}
						seedObject(t, env.svc, "data", key, []byte(key))
						out.WriteString(line + "\n")
					}
				case "list":
					if env == nil {
						t.Fatalf("%s: list before keys", file)
					}
					status, body := env.lmDo(t, "GET", "/data?"+arg, nil)
					pretty, err := lmPrettyXML(body)
					if err != nil {
						t.Fatalf("%s: response %s: %v", b.cmd, body, err)
					}
					got := strconv.Itoa(status) + "\n" + pretty
					if want := strings.Join(b.body, "\n"); !rewriteFlag() && got != want {
						t.Errorf("%s: %s\n got:\n%s\nwant:\n%s", file, b.cmd, got, want)
					}
					out.WriteString(got + "\n")
				default:
					t.Fatalf("%s: unknown directive %q", file, b.cmd)
				}
				out.WriteString("----\n")
			}
			if rewriteFlag() {
				if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}
