package tpch

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/duckdb/duckdb-go/v2"
)

// Format selects the files Generate writes; formats combine with |.
type Format int

const (
	// Parquet files, <dir>/<table>/<table>-NNN.parquet (the default).
	Parquet Format = 1 << iota
	// CSV is dbgen's '|'-delimited text, <dir>/<table>/<table>-NNN.tbl,
	// without dbgen's trailing '|' so PostgreSQL's COPY reads it as is.
	CSV
)

// DefaultSeed is the seed Options{} uses.
const DefaultSeed = 19920101

// Rows per part file: a table with more base rows is split. Orders and
// lineitem split together (by orders), part and partsupp (by parts).
const (
	partRows      = 1_000_000
	partOrderRows = 500_000
	partPartRows  = 250_000
)

// Options configure Generate. The zero value is SF 1 (Parquet, seed
// DefaultSeed, one worker per CPU).
type Options struct {
	SF      float64 // scale factor; 0 means 1
	Seed    uint64  // 0 means DefaultSeed
	Format  Format  // 0 means Parquet
	Workers int     // parts generated at once; 0 means runtime.NumCPU()
	// PoolSize is the text pool's size in bytes; 0 means 4 MiB.
	PoolSize int
}

func (o Options) withDefaults() Options {
	if o.SF == 0 {
		o.SF = 1
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Format == 0 {
		o.Format = Parquet
	}
	if o.Workers <= 0 {
		o.Workers = runtime.NumCPU()
	}
	if o.PoolSize <= 0 {
		o.PoolSize = defaultPoolSize
	}
	return o
}

// Manifest describes a generated directory; Generate writes it as
// <dir>/tpch.json.
type Manifest struct {
	SF       float64          `json:"sf"`
	Seed     uint64           `json:"seed"`
	Format   Format           `json:"format"`
	PoolSize int              `json:"pool_size"`
	Rows     map[string]int64 `json:"rows"`
}

// ManifestFile is the manifest's name inside a generated directory.
const ManifestFile = "tpch.json"

// ErrBadScale is returned for a scale factor that is not positive.
var ErrBadScale = errors.New("tpch: scale factor must be positive")

// ReadManifest reads dir's manifest.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	b, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		return m, err
	}
	return m, json.Unmarshal(b, &m)
}

// job is one unit of generation: one part of one or two tables.
type job struct {
	tables []*Table
	part   int
	run    func(r *rng, emit []emitter) error
	stream uint64
}

// Generate writes the eight tables at o.SF into dir (created if missing;
// the part files and manifest of an earlier run are removed first) and
// returns the manifest, which it writes last. Output is a function of
// (SF, Seed, PoolSize) only: the same options give the same bytes,
// whatever Workers is.
func Generate(ctx context.Context, dir string, o Options) (Manifest, error) {
	o = o.withDefaults()
	if !(o.SF > 0) {
		return Manifest{}, ErrBadScale
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Manifest{}, err
	}
	// A manifest marks a complete directory: remove it first, and the part
	// files of an earlier run, which could otherwise outnumber this one's.
	if err := os.Remove(filepath.Join(dir, ManifestFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return Manifest{}, err
	}
	for _, t := range tableDefs {
		if err := os.MkdirAll(filepath.Join(dir, t.Name), 0o755); err != nil {
			return Manifest{}, err
		}
		old, _ := filepath.Glob(filepath.Join(dir, t.Name, t.Name+"-*"))
		for _, f := range old {
			if err := os.Remove(f); err != nil {
				return Manifest{}, err
			}
		}
	}
	g := &gen{seed: o.Seed, sf: o.SF, sizes: SizesFor(o.SF), pool: newTextPool(o.Seed, o.PoolSize)}
	jobs := g.jobs()

	var db *sql.DB
	if o.Format&Parquet != 0 {
		conn, err := duckdb.NewConnector("", nil)
		if err != nil {
			return Manifest{}, fmt.Errorf("tpch: open duckdb: %w", err)
		}
		db = sql.OpenDB(conn)
		defer db.Close()
		db.SetMaxOpenConns(o.Workers)
		if err := sandbox(ctx, db, dir); err != nil {
			return Manifest{}, err
		}
	}

	var (
		mu    sync.Mutex
		rows  = map[string]int64{}
		first error
		wg    sync.WaitGroup
		sem   = make(chan struct{}, o.Workers)
	)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for _, j := range jobs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			counts, err := g.runJob(ctx, db, dir, o.Format, j)
			mu.Lock()
			defer mu.Unlock()
			if err != nil && first == nil {
				first = err
				cancel()
			}
			for t, n := range counts {
				rows[t] += n
			}
		}()
	}
	wg.Wait()
	if first != nil {
		return Manifest{}, first
	}
	m := Manifest{SF: o.SF, Seed: o.Seed, Format: o.Format, PoolSize: o.PoolSize, Rows: rows}
	b, _ := json.MarshalIndent(m, "", "  ")
	if err := writeFileAtomic(filepath.Join(dir, ManifestFile), append(b, '\n')); err != nil {
		return Manifest{}, err
	}
	return m, nil
}

// jobs splits the generation into independent parts.
func (g *gen) jobs() []job {
	var out []job
	split := func(n, per int64, tables []*Table, stream uint64, run func(r *rng, lo, hi int64, emit []emitter) error) {
		for p, lo := 0, int64(0); lo < n; p, lo = p+1, lo+per {
			lo, hi := lo, min(n, lo+per)
			out = append(out, job{tables: tables, part: p, stream: stream,
				run: func(r *rng, emit []emitter) error { return run(r, lo, hi, emit) }})
		}
	}
	sz := g.sizes
	// Biggest first, so the pool of workers drains evenly.
	split(sz.Orders, partOrderRows, []*Table{table("orders"), table("lineitem")}, streamOrders,
		func(r *rng, lo, hi int64, e []emitter) error { return g.orders(r, lo, hi, e[0], e[1]) })
	split(sz.Part, partPartRows, []*Table{table("part"), table("partsupp")}, streamPart,
		func(r *rng, lo, hi int64, e []emitter) error { return g.parts(r, lo, hi, e[0], e[1]) })
	split(sz.Customer, partRows, []*Table{table("customer")}, streamCustomer,
		func(r *rng, lo, hi int64, e []emitter) error { return g.customers(r, lo, hi, e[0]) })
	split(sz.Supplier, partRows, []*Table{table("supplier")}, streamSupplier,
		func(r *rng, lo, hi int64, e []emitter) error { return g.suppliers(r, lo, hi, e[0]) })
	split(1, 1, []*Table{table("region"), table("nation")}, streamNation,
		func(r *rng, _, _ int64, e []emitter) error { return g.nationRegion(r, e[0], e[1]) })
	return out
}

// partPath is the file of one table part with the given extension.
func partPath(dir, tbl string, part int, ext string) string {
	return filepath.Join(dir, tbl, fmt.Sprintf("%s-%03d.%s", tbl, part, ext))
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// sandbox limits db to dir, as every tarn DuckDB is limited.
func sandbox(ctx context.Context, db *sql.DB, dir string) error {
	for _, s := range []string{
		"SET allowed_directories = [" + sqlString(dir+string(filepath.Separator)) + "]",
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET enable_external_access = false",
		"SET lock_configuration = true",
	} {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("tpch: %s: %w", s, err)
		}
	}
	return nil
}

func sqlString(s string) string {
	b := []byte{'\''}
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' {
			b = append(b, '\'')
		}
		b = append(b, s[i])
	}
	return string(append(b, '\''))
}
