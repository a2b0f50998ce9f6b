package ui

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

func sampleDashboard() Dashboard {
	return Dashboard{Name: "sales", Title: "Sales",
		Filters: []Filter{{Name: "period", Type: FilterDateRange, Default: "30d"},
			{Name: "category", Type: FilterDropdown, Query: "SELECT DISTINCT category FROM orders"}},
		Tiles: []Tile{
			{ID: "rev", Title: "Revenue", SQL: "SELECT day, sum(amount) FROM orders WHERE day BETWEEN {{start}} AND {{end}} GROUP BY 1",
				Chart: "line", X: "day", Y: []string{"amount"}, RefreshSeconds: 30, Layout: Layout{X: 0, Y: 0, W: 8, H: 4}},
			{ID: "n", SQL: "SELECT count(*) FROM orders", Chart: "kpi", Engine: EngineWarehouse, Layout: Layout{X: 8, Y: 0, W: 4, H: 2}},
		}}
}

func TestDashboardRoundTripAndReopen(t *testing.T) {
	u := newTestUI(t, nil)
	ctx := t.Context()
	d := sampleDashboard()
	if err := u.svc.PutDashboard(ctx, d); err != nil {
		t.Fatal(err)
	}
	u.signIn(t)
	b, _ := json.Marshal(Dashboard{Name: "ops", Tiles: []Tile{{ID: "t", SQL: "SELECT 1", Chart: "table"}}})
	if code, body, _ := u.do(t, "PUT", "/_tarn/ui/api/dashboards/ops", string(b), true); code != 200 {
		t.Fatalf("put: %d %s", code, body)
	}
	dir := u.dir
	u.close()
	u2 := openTestUI(t, dir, nil)
	got, err := u2.svc.GetDashboard(ctx, "sales")
	if err != nil {
		t.Fatal(err)
	}
	if got.Updated.IsZero() || got.Tiles[0].Engine != EngineAthena || got.Tiles[1].Engine != EngineWarehouse ||
		got.Tiles[0].SQL != d.Tiles[0].SQL || got.Filters[1].Query != d.Filters[1].Query || got.Tiles[0].Layout != d.Tiles[0].Layout {
		t.Errorf("after reopen: %+v", got)
	}
	list, err := u2.svc.ListDashboards(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "ops" || list[1].Name != "sales" {
		t.Fatalf("list: %v %+v", err, list)
	}
	if list[0].Tiles[0].Layout != (Layout{W: 6, H: 4}) {
		t.Errorf("default layout: %+v", list[0].Tiles[0].Layout)
	}
	u2.signIn(t)
	code, body, _ := u2.do(t, "GET", "/_tarn/ui/api/dashboards/sales", "", false)
	if code != 200 || !strings.Contains(body, `BETWEEN {{start}} AND {{end}}`) {
		t.Errorf("get over HTTP: %d %s", code, body)
	}
	if code, body, _ := u2.do(t, "DELETE", "/_tarn/ui/api/dashboards/sales", "", true); code != 200 {
		t.Errorf("delete: %d %s", code, body)
	}
	if _, err := u2.svc.GetDashboard(ctx, "sales"); !errors.Is(err, ErrDashboardNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if code, _, _ := u2.do(t, "GET", "/_tarn/ui/api/dashboards/sales", "", false); code != http.StatusNotFound {
		t.Errorf("get deleted: %d", code)
	}
	if code, _, _ := u2.do(t, "DELETE", "/_tarn/ui/api/dashboards/sales", "", true); code != http.StatusNotFound {
		t.Errorf("delete deleted: %d", code)
	}
}

func TestDashboardValidation(t *testing.T) {
	cases := []struct {
		name   string
		change func(*Dashboard)
		want   string
	}{
		{"bad name", func(d *Dashboard) { d.Name = "Bad Name" }, "name"},
		{"empty name", func(d *Dashboard) { d.Name = "" }, "name"},
		{"filter type", func(d *Dashboard) { d.Filters[0].Type = "slider" }, "filters[0].type"},
		{"filter name", func(d *Dashboard) { d.Filters[0].Name = "a-b" }, "filters[0].name"},
		{"filter twice", func(d *Dashboard) { d.Filters[1].Name = "period" }, "used twice"},
		{"dropdown query", func(d *Dashboard) { d.Filters[1].Query = "" }, "needs a query"},
		{"tile id", func(d *Dashboard) { d.Tiles[0].ID = "" }, "tiles[0].id"},
		{"tile id twice", func(d *Dashboard) { d.Tiles[1].ID = "rev" }, "used twice"},
		{"empty sql", func(d *Dashboard) { d.Tiles[1].SQL = "" }, "tiles[1].sql"},
		{"chart", func(d *Dashboard) { d.Tiles[0].Chart = "donut" }, "tiles[0].chart"},
		{"engine", func(d *Dashboard) { d.Tiles[0].Engine = "spark" }, "tiles[0].engine"},
		{"refresh", func(d *Dashboard) { d.Tiles[0].RefreshSeconds = 1 }, "refresh_seconds"},
		{"layout overflow", func(d *Dashboard) { d.Tiles[0].Layout = Layout{X: 10, W: 4, H: 2} }, "layout"},
		{"layout height", func(d *Dashboard) { d.Tiles[0].Layout = Layout{W: 4, H: 99} }, "layout"},
	}
	u := newTestUI(t, nil)
	u.signIn(t)
	for _, c := range cases {
		d := sampleDashboard()
		c.change(&d)
		err := u.svc.PutDashboard(t.Context(), d)
		if !errors.Is(err, ErrInvalidDashboard) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want ErrInvalidDashboard naming %q", c.name, err, c.want)
		}
		if d.Name == "" { // over HTTP the path names it
			continue
		}
		b, _ := json.Marshal(d)
		name := d.Name
		if strings.Contains(name, " ") {
			name = "x"
		}
		if code, body, _ := u.do(t, "PUT", "/_tarn/ui/api/dashboards/"+name, string(b), true); code != http.StatusBadRequest {
			t.Errorf("%s over HTTP: %d %s", c.name, code, body)
		}
	}
	if code, body, _ := u.do(t, "PUT", "/_tarn/ui/api/dashboards/other", `{"name":"sales","tiles":[]}`, true); code != http.StatusBadRequest {
		t.Errorf("name mismatch: %d %s", code, body)
	}
	if code, body, _ := u.do(t, "PUT", "/_tarn/ui/api/dashboards/x", `{"name":"x","tiles":[],"bogus":1}`, true); code != http.StatusBadRequest {
		t.Errorf("unknown field: %d %s", code, body)
	}
	if list, _ := u.svc.ListDashboards(t.Context()); len(list) != 0 {
		t.Errorf("invalid dashboards were stored: %+v", list)
	}
}

// A tarn.yaml dashboard uses the JSON names.
func TestDashboardYAML(t *testing.T) {
	src := `
name: ops
title: Operations
filters:
  - {name: period, type: date_range, default: 7d}
tiles:
  - id: errors
    sql: SELECT count(*) FROM logs WHERE day BETWEEN {{start}} AND {{end}}
    chart: kpi
    refresh_seconds: 30
    layout: {x: 0, y: 0, w: 3, h: 2}
`
	var d Dashboard
	if err := yaml.Unmarshal([]byte(src), &d); err != nil {
		t.Fatal(err)
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if d.Tiles[0].RefreshSeconds != 30 || d.Tiles[0].Layout != (Layout{W: 3, H: 2}) || d.Filters[0].Default != "7d" || d.Tiles[0].Engine != EngineAthena {
		t.Errorf("decoded %+v", d)
	}
}
