package emr

import (
	"maps"
	"strings"
	"testing"
)

func TestParseSQLArgs(t *testing.T) {
	cases := []struct {
		args []string
		want sqlScript
		err  string
	}{
		{args: []string{"-e", "SELECT 1"}, want: sqlScript{inline: "SELECT 1"}},
		{args: []string{"--database=web", "-f", "s3://b/k.sql", "-i", "s3://b/init.sql"}, want: sqlScript{database: "web", file: "s3://b/k.sql", inits: []string{"s3://b/init.sql"}}},
		{args: []string{"-d", "a=1=2", "--define", "b=", "--hivevar", "c=3", "--hiveconf", "x=y", "-e", "q"},
			want: sqlScript{inline: "q", vars: map[string]string{"a": "1=2", "b": "", "c": "3"}, conf: map[string]string{"x": "y"}}},
		{args: []string{"-hiveconf", "x=1", "-hivevar", "v=2", "-define", "d=3", "-e", "q"},
			want: sqlScript{inline: "q", vars: map[string]string{"v": "2", "d": "3"}, conf: map[string]string{"x": "1"}}},
		{args: []string{"--master", "yarn", "--num-executors", "4", "-v", "-e", "q"}, want: sqlScript{inline: "q"}},
		{args: []string{"-e", "a", "-f", "s3://b/k"}, err: "cannot both"},
		{args: []string{}, err: "needs -e"},
		{args: []string{"-d", "=1", "-e", "q"}, err: "key=value"},
		{args: []string{"-x"}, err: "unrecognized"},
	}
	for _, tc := range cases {
		got, err := parseSQLArgs("hive", tc.args)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err = %v, want %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.args, err)
			continue
		}
		w := tc.want
		if got.inline != w.inline || got.file != w.file || got.database != w.database || strings.Join(got.inits, ",") != strings.Join(w.inits, ",") ||
			len(w.vars) > 0 && !maps.Equal(got.vars, w.vars) || len(w.conf) > 0 && !maps.Equal(got.conf, w.conf) {
			t.Errorf("%q: got %+v", tc.args, got)
		}
	}
}

func TestSubstitute(t *testing.T) {
	sc := &sqlScript{vars: map[string]string{"a": "A", "both": "var"}, conf: map[string]string{"c": "C", "both": "conf"}}
	cases := map[string]string{
		"${a}":                            "A",
		"${hivevar:a}":                    "A",
		"${c}":                            "C",
		"${hiveconf:c}":                   "C",
		"${hiveconf:a}":                   "${hiveconf:a}",
		"${both} ${hiveconf:both}":        "var conf",
		"${env:HOME} ${system:user.name}": "${env:HOME} ${system:user.name}",
		"${nope} $a {a} ${":               "${nope} $a {a} ${",
	}
	for in, want := range cases {
		if got := sc.substitute(in); got != want {
			t.Errorf("substitute(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseS3(t *testing.T) {
	for in, want := range map[string]string{"s3://b/k/x.sql": "b|k/x.sql", "s3n://b/k": "b|k", "s3a://b": "b|", "http://b/k": "|", "s3:///k": "|"} {
		b, k, _ := parseS3(in)
		if b+"|"+k != want {
			t.Errorf("parseS3(%q) = %s|%s", in, b, k)
		}
	}
}

func FuzzParseSQLArgs(f *testing.F) {
	f.Add("-e\x00SELECT 1\x00-d\x00a=b")
	f.Add("--run-hive-script\x00--args\x00-f\x00s3://b/k")
	f.Fuzz(func(t *testing.T, s string) {
		args := strings.Split(s, "\x00")
		if sc, err := parseSQLArgs("spark-sql", args); err == nil {
			_ = sc.substitute(strings.Join(args, " "))
		}
		_, _ = parseHiveScript(args)
		_, _ = decodeMarker(s, "c")
	})
}
