package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// Dashboard is a named set of SQL tiles with filters, stored as JSON in
// Options.Meta under dashboard/<name>. The yaml tags match the JSON names,
// so a tarn.yaml dashboard decodes into it with go.yaml.in/yaml/v3.
type Dashboard struct {
	Name    string    `json:"name" yaml:"name"`
	Title   string    `json:"title,omitempty" yaml:"title,omitempty"`
	Filters []Filter  `json:"filters,omitempty" yaml:"filters,omitempty"`
	Tiles   []Tile    `json:"tiles" yaml:"tiles"`
	Updated time.Time `json:"updated,omitzero" yaml:"-"` // set by PutDashboard
}

// Filter is a dashboard control whose value the console substitutes into
// tile SQL as a quoted literal: a date_range named n gives {{n_start}} and
// {{n_end}} (the first one also {{start}} and {{end}}), a dropdown {{n}},
// its options the first column of Query.
type Filter struct {
	Name     string `json:"name" yaml:"name"`
	Type     string `json:"type" yaml:"type"` // FilterDateRange or FilterDropdown
	Label    string `json:"label,omitempty" yaml:"label,omitempty"`
	Query    string `json:"query,omitempty" yaml:"query,omitempty"`
	Engine   string `json:"engine,omitempty" yaml:"engine,omitempty"`
	Database string `json:"database,omitempty" yaml:"database,omitempty"`
	// Default is a dropdown's initial value, or a date range's length
	// ("7d", "30d", "24h"); "" means all values / the last 7 days.
	Default string `json:"default,omitempty" yaml:"default,omitempty"`
}

// Tile is one query and how to chart it.
type Tile struct {
	ID             string   `json:"id" yaml:"id"`
	Title          string   `json:"title,omitempty" yaml:"title,omitempty"`
	SQL            string   `json:"sql" yaml:"sql"`
	Engine         string   `json:"engine,omitempty" yaml:"engine,omitempty"` // EngineAthena (default) or EngineWarehouse
	Database       string   `json:"database,omitempty" yaml:"database,omitempty"`
	Chart          string   `json:"chart" yaml:"chart"`
	X              string   `json:"x,omitempty" yaml:"x,omitempty"`
	Y              []string `json:"y,omitempty" yaml:"y,omitempty"`
	Series         string   `json:"series,omitempty" yaml:"series,omitempty"`
	RefreshSeconds int      `json:"refresh_seconds,omitempty" yaml:"refresh_seconds,omitempty"`
	Layout         Layout   `json:"layout" yaml:"layout"`
}

// Layout places a tile on a 12-column grid (rows of fixed height).
type Layout struct {
	X int `json:"x" yaml:"x"`
	Y int `json:"y" yaml:"y"`
	W int `json:"w" yaml:"w"`
	H int `json:"h" yaml:"h"`
}

// Enumerations and limits of dashboards.
const (
	FilterDateRange = "date_range"
	FilterDropdown  = "dropdown"
	EngineAthena    = "athena"
	EngineWarehouse = "warehouse"

	GridColumns    = 12
	MaxTileHeight  = 24
	MaxTiles       = 64
	MaxFilters     = 16
	MaxSQL         = 64 << 10
	MinRefresh     = 5
	MaxRefresh     = 86400
	maxDashboardKB = 512
)

// Charts are the tile chart types the console renders.
var Charts = []string{"line", "area", "bar", "stacked_bar", "pie", "scatter", "heatmap", "kpi", "table"}

var (
	nameRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
	tileRE  = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidDashboard, fmt.Sprintf(format, args...))
}

// Validate checks d and fills defaults (engine athena); errors wrap
// ErrInvalidDashboard and name the offending field.
func (d *Dashboard) Validate() error {
	if !nameRE.MatchString(d.Name) {
		return invalid("name %q must be 1-64 of a-z, 0-9, _ and -, starting with a letter or digit", d.Name)
	}
	if len(d.Title) > 200 {
		return invalid("title longer than 200 characters")
	}
	if len(d.Filters) > MaxFilters {
		return invalid("more than %d filters", MaxFilters)
	}
	seen := map[string]bool{}
	for i := range d.Filters {
		f := &d.Filters[i]
		if !identRE.MatchString(f.Name) {
			return invalid("filters[%d].name %q must be an identifier", i, f.Name)
		}
		if seen[f.Name] {
			return invalid("filters[%d].name %q is used twice", i, f.Name)
		}
		seen[f.Name] = true
		switch f.Type {
		case FilterDateRange:
		case FilterDropdown:
			if f.Query == "" {
				return invalid("filters[%d] (dropdown) needs a query", i)
			}
		default:
			return invalid("filters[%d].type %q must be date_range or dropdown", i, f.Type)
		}
		if err := checkEngine(&f.Engine, fmt.Sprintf("filters[%d]", i)); err != nil {
			return err
		}
		if len(f.Query) > MaxSQL {
			return invalid("filters[%d].query longer than %d bytes", i, MaxSQL)
		}
	}
	if len(d.Tiles) > MaxTiles {
		return invalid("more than %d tiles", MaxTiles)
	}
	ids := map[string]bool{}
	for i := range d.Tiles {
		if err := d.Tiles[i].validate(i, ids); err != nil {
			return err
		}
	}
	return nil
}

func checkEngine(e *string, where string) error {
	switch *e {
	case "":
		*e = EngineAthena
	case EngineAthena, EngineWarehouse:
	default:
		return invalid("%s.engine %q must be athena or warehouse", where, *e)
	}
	return nil
}

func (t *Tile) validate(i int, ids map[string]bool) error {
	where := fmt.Sprintf("tiles[%d]", i)
	if !tileRE.MatchString(t.ID) {
		return invalid("%s.id %q must be 1-64 of A-Z, a-z, 0-9, _ and -", where, t.ID)
	}
	if ids[t.ID] {
		return invalid("%s.id %q is used twice", where, t.ID)
	}
	ids[t.ID] = true
	if t.SQL == "" {
		return invalid("%s.sql is empty", where)
	}
	if len(t.SQL) > MaxSQL {
		return invalid("%s.sql longer than %d bytes", where, MaxSQL)
	}
	if err := checkEngine(&t.Engine, where); err != nil {
		return err
	}
	ok := false
	for _, c := range Charts {
		ok = ok || c == t.Chart
	}
	if !ok {
		return invalid("%s.chart %q must be one of %v", where, t.Chart, Charts)
	}
	if t.RefreshSeconds != 0 && (t.RefreshSeconds < MinRefresh || t.RefreshSeconds > MaxRefresh) {
		return invalid("%s.refresh_seconds %d must be 0 or %d-%d", where, t.RefreshSeconds, MinRefresh, MaxRefresh)
	}
	l := t.Layout
	if l.W == 0 && l.H == 0 && l.X == 0 && l.Y == 0 {
		t.Layout = Layout{W: 6, H: 4}
		l = t.Layout
	}
	if l.X < 0 || l.Y < 0 || l.W < 1 || l.H < 1 || l.X+l.W > GridColumns || l.H > MaxTileHeight || l.Y > 1000 {
		return invalid("%s.layout %+v must fit a %d-column grid (w>=1, 1<=h<=%d)", where, l, GridColumns, MaxTileHeight)
	}
	return nil
}

func dashboardKey(name string) []byte { return []byte("dashboard/" + name) }

// PutDashboard validates d and stores it durably, replacing any dashboard
// of the same name.
func (s *Service) PutDashboard(ctx context.Context, d Dashboard) error {
	if err := d.Validate(); err != nil {
		return err
	}
	d.Updated = s.now().UTC()
	b, err := json.Marshal(d)
	if err != nil {
		return err
	}
	if len(b) > maxDashboardKB<<10 {
		return invalid("larger than %d KiB", maxDashboardKB)
	}
	if err := s.meta.Set(dashboardKey(d.Name), b); err != nil {
		return fmt.Errorf("store dashboard: %w", err)
	}
	return nil
}

// GetDashboard returns the dashboard called name, or ErrDashboardNotFound.
func (s *Service) GetDashboard(ctx context.Context, name string) (Dashboard, error) {
	var d Dashboard
	if !nameRE.MatchString(name) {
		return d, ErrDashboardNotFound
	}
	b, err := s.meta.Get(dashboardKey(name))
	if errors.Is(err, kv.ErrNotFound) {
		return d, ErrDashboardNotFound
	}
	if err != nil {
		return d, err
	}
	if err := json.Unmarshal(b, &d); err != nil {
		return d, fmt.Errorf("decode dashboard %s: %w", name, err)
	}
	return d, nil
}

// ListDashboards returns every dashboard, by name.
func (s *Service) ListDashboards(ctx context.Context) ([]Dashboard, error) {
	it, err := s.meta.Iter([]byte("dashboard/"), kv.PrefixEnd([]byte("dashboard/")))
	if err != nil {
		return nil, err
	}
	out := []Dashboard{}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return nil, err
		}
		var d Dashboard
		if err := json.Unmarshal(v, &d); err != nil {
			it.Close()
			return nil, fmt.Errorf("decode dashboard %s: %w", it.Key(), err)
		}
		out = append(out, d)
	}
	return out, it.Close()
}

// DeleteDashboard removes the dashboard, or answers ErrDashboardNotFound.
func (s *Service) DeleteDashboard(ctx context.Context, name string) error {
	if _, err := s.GetDashboard(ctx, name); err != nil {
		return err
	}
	return s.meta.Delete(dashboardKey(name))
}
