package stack

import (
	"context"
	"fmt"
	"reflect"
)

func (d *Dashboard) plan(ctx context.Context, e *env) (step, error) {
	api := e.c.Dashboards
	if api == nil {
		return step{}, ErrNoDashboards
	}
	have, found, err := api.GetDashboard(ctx, d.Name)
	if err != nil {
		return step{}, err
	}
	want := d.withDefaults()
	put := func(ctx context.Context) error { return api.PutDashboard(ctx, want) }
	switch {
	case !found:
		return step{change: Change{Action: Create}, do: put}, nil
	case reflect.DeepEqual(have, want):
		return step{change: Change{Action: Unchanged}}, nil
	}
	var df diff
	df.str("title", have.Title, d.Title)
	if !reflect.DeepEqual(have.Filters, want.Filters) {
		df = append(df, FieldChange{"filters", fmt.Sprint(len(have.Filters)), fmt.Sprint(len(want.Filters))})
	}
	if !reflect.DeepEqual(have.Tiles, want.Tiles) {
		df = append(df, FieldChange{"tiles", tilesString(have.Tiles), tilesString(want.Tiles)})
	}
	return updateOrSame(df, put), nil
}

func tilesString(ts []Tile) string {
	s := ""
	for i, t := range ts {
		if i > 0 {
			s += ", "
		}
		s += t.ID
	}
	return "[" + s + "]"
}

// withDefaults is d as the UI stores it: engine athena where none is
// named, a 6x4 tile where no layout is given.
func (d *Dashboard) withDefaults() Dashboard {
	c := *d
	c.Filters = append([]DashboardFilter(nil), d.Filters...)
	for i := range c.Filters {
		if c.Filters[i].Engine == "" {
			c.Filters[i].Engine = "athena"
		}
	}
	c.Tiles = append([]Tile(nil), d.Tiles...)
	for i := range c.Tiles {
		t := &c.Tiles[i]
		if t.Engine == "" {
			t.Engine = "athena"
		}
		if t.Layout == (TileLayout{}) {
			t.Layout = TileLayout{W: 6, H: 4}
		}
	}
	return c
}
