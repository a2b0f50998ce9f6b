package warehouse

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

type unloadOpts struct {
	query     string
	to        string
	format    string // "text", "csv", "parquet", "json"
	header    bool
	delim     string
	partition []string
	include   bool
	overwrite bool
	gzip      bool
	ext       string
	nullAs    string
}

// prepareUnload parses UNLOAD ('select ...') TO 's3://...' [options].
func (se *session) prepareUnload(sig []engine.Token) (runFunc, error) {
	o := &unloadOpts{format: "text", delim: "|"}
	if len(sig) < 5 || sig[1].Text != "(" || sig[2].Kind != engine.String || sig[3].Text != ")" || !sig[4].Is("TO") || len(sig) < 6 || sig[5].Kind != engine.String {
		return nil, errSyntax(textAt(sig, 1))
	}
	o.query, o.to = sig[2].Value(), sig[5].Value()
	if _, _, err := parseS3(o.to); err != nil {
		return nil, err
	}
	i := 6
	delimSet := false
	arg := func() string {
		if i < len(sig) && sig[i].Is("AS") {
			i++
		}
		if i >= len(sig) {
			return ""
		}
		i++
		return sig[i-1].Value()
	}
	for i < len(sig) {
		t := sig[i]
		i++
		switch t.Upper() {
		case "IAM_ROLE", "CREDENTIALS", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN", "REGION", "MAXFILESIZE", "KMS_KEY_ID", "ROWGROUPSIZE":
			arg()
			if i < len(sig) && (sig[i].Is("MB") || sig[i].Is("GB")) {
				i++
			}
		case "FORMAT":
			f := strings.ToLower(arg())
			switch f {
			case "parquet", "csv", "json":
				o.format = f
			default:
				return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "UNLOAD FORMAT %s is not supported", strings.ToUpper(f))
			}
		case "CSV", "PARQUET", "JSON":
			o.format = strings.ToLower(t.Text)
		case "HEADER":
			o.header = true
		case "DELIMITER":
			o.delim, delimSet = arg(), true
		case "NULL":
			o.nullAs = arg()
		case "EXTENSION":
			o.ext = arg()
		case "PARTITION":
			if i+1 >= len(sig) || !sig[i].Is("BY") || sig[i+1].Text != "(" {
				return nil, errSyntax(textAt(sig, i))
			}
			e := matching(sig, i+1)
			if e < 0 {
				return nil, errSyntax("end of input")
			}
			for _, a := range splitArgs(sig[i+2 : e]) {
				if len(a) != 1 {
					return nil, errSyntax(textAt(a, 0))
				}
				o.partition = append(o.partition, identName(a[0]))
			}
			i = e + 1
			if i < len(sig) && sig[i].Is("INCLUDE") {
				o.include = true
				i++
			}
		case "ALLOWOVERWRITE":
			o.overwrite = true
		case "PARALLEL":
			if i < len(sig) && (sig[i].Is("ON") || sig[i].Is("OFF") || sig[i].Is("TRUE") || sig[i].Is("FALSE")) {
				i++
			}
		case "GZIP":
			o.gzip = true
		case "ENCRYPTED", "ADDQUOTES", "ESCAPE":
			if t.Is("ENCRYPTED") && i < len(sig) && sig[i].Is("AUTO") {
				i++
			}
		case "MANIFEST", "CLEANPATH", "BZIP2", "ZSTD", "FIXEDWIDTH":
			return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "UNLOAD option %s is not supported", t.Upper())
		default:
			return nil, errSyntax(t.Text)
		}
	}
	if o.format == "csv" && !delimSet {
		o.delim = ","
	}
	if o.format == "parquet" && (o.header || o.gzip) {
		return nil, pgwire.Errorf(pgwire.CodeInvalidParameterValue, "HEADER and GZIP cannot be used with FORMAT PARQUET")
	}
	return func(ctx context.Context, _ []any) (pgwire.Result, error) { return se.runUnload(ctx, o) }, nil
}

// runUnload runs the query into files in the scratch directory with
// DuckDB's COPY, then puts each into the lake under the prefix, named as
// Redshift names them (0000_part_00[.parquet], Hive key=value/ folders
// for PARTITION BY).
func (se *session) runUnload(ctx context.Context, o *unloadOpts) (pgwire.Result, error) {
	if se.s.opts.Lake == nil {
		return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "this warehouse has no lake configured")
	}
	bucket, prefix, _ := parseS3(o.to)
	if !o.overwrite {
		existing, err := se.s.lakeFiles(ctx, o.to)
		if err != nil {
			return nil, err
		}
		if len(existing) > 0 {
			return nil, pgwire.Errorf(pgwire.CodeInternalError, "Specified unload destination on S3 is not empty. Consider using a different bucket / prefix, manually removing the target files in S3, or using the ALLOWOVERWRITE option.")
		}
	}
	tr, err := se.translateWithExternal(ctx, o.query)
	if err != nil {
		return nil, err
	}
	if st, err := engine.Split(tr.SQL); err != nil || len(st) != 1 || engine.Classify(st[0]) != engine.Read {
		return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "UNLOAD runs one SELECT")
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	dir := filepath.Join(se.s.scratch, "unload-"+hex.EncodeToString(rnd[:]))
	defer os.RemoveAll(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	ext := ""
	var opts []string
	switch o.format {
	case "parquet":
		ext = ".parquet"
		opts = append(opts, "FORMAT parquet")
	case "json":
		opts = append(opts, "FORMAT json")
	default:
		opts = append(opts, "FORMAT csv", "DELIMITER "+engine.Quote(o.delim), fmt.Sprintf("HEADER %t", o.header))
		if o.format == "text" {
			opts = append(opts, "QUOTE ''", `ESCAPE '\'`)
			if o.nullAs == "" {
				o.nullAs = ""
			}
		}
		opts = append(opts, "NULLSTR "+engine.Quote(o.nullAs))
		if o.gzip {
			opts = append(opts, "COMPRESSION gzip")
			ext = ".gz"
		}
	}
	if o.ext != "" {
		ext = "." + strings.TrimPrefix(o.ext, ".")
	}
	target := filepath.Join(dir, "0000_part_00"+ext)
	if len(o.partition) > 0 {
		q := make([]string, len(o.partition))
		for k, p := range o.partition {
			q[k] = engine.QuoteIdent(p)
		}
		opts = append(opts, "PARTITION_BY ("+strings.Join(q, ", ")+")", fmt.Sprintf("WRITE_PARTITION_COLUMNS %t", o.include),
			"FILENAME_PATTERN '0000_part_{i}'", "FILE_EXTENSION "+engine.Quote(strings.TrimPrefix(ext, ".")))
		target = dir
	}
	qctx, cancel := context.WithTimeoutCause(ctx, se.s.timeout, engine.ErrTimeout)
	defer cancel()
	res, err := se.conn.ExecContext(qctx, fmt.Sprintf("COPY (%s) TO %s (%s)", tr.SQL, engine.Quote(target), strings.Join(opts, ", ")))
	if err != nil {
		return nil, timeoutErr(qctx, err)
	}
	n, _ := res.RowsAffected()
	var files []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	sort.Strings(files)
	ctype := "application/octet-stream"
	if o.format == "csv" || o.format == "text" {
		ctype = "text/csv"
	}
	for _, p := range files {
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		// DuckDB numbers partition files 0000_part_0, _1: Redshift's are _00.
		base := rel[strings.LastIndex(rel, "/")+1:]
		if strings.HasPrefix(base, "0000_part_") {
			num := strings.TrimSuffix(strings.TrimPrefix(base, "0000_part_"), ext)
			if len(num) == 1 {
				rel = rel[:len(rel)-len(base)] + "0000_part_0" + num + ext
			}
		}
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		fi, _ := f.Stat()
		err = se.s.opts.Lake.Put(ctx, bucket, prefix+rel, f, fi.Size(), ctype)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("warehouse: unload put %s: %w", prefix+rel, err)
		}
	}
	return &result{tag: fmt.Sprintf("UNLOAD %d", n)}, nil
}
