package dynamo

import (
	"math"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Capacity units as DynamoDB computes them: a write is one unit per KB
// (rounded up) of the larger of the old and new item; a strongly
// consistent read one unit per 4 KB, half that eventually consistent; a
// transactional operation twice the plain one. Query and Scan sum the
// sizes of the items read before rounding.

// ConsumedCapacity is the wire shape.
type ConsumedCapacity struct {
	TableName              string              `json:"TableName,omitempty"`
	CapacityUnits          float64             `json:"CapacityUnits"`
	ReadCapacityUnits      *float64            `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits     *float64            `json:"WriteCapacityUnits,omitempty"`
	Table                  *Capacity           `json:"Table,omitempty"`
	LocalSecondaryIndexes  map[string]Capacity `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes map[string]Capacity `json:"GlobalSecondaryIndexes,omitempty"`
}

type Capacity struct {
	CapacityUnits      float64  `json:"CapacityUnits"`
	ReadCapacityUnits  *float64 `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits *float64 `json:"WriteCapacityUnits,omitempty"`
}

func writeUnits(size int) float64 {
	return math.Max(1, math.Ceil(float64(size)/1024))
}

func readUnits(size int, consistent bool) float64 {
	u := math.Max(1, math.Ceil(float64(size)/4096))
	if !consistent {
		u /= 2
	}
	return u
}

func itemSize(it attr.Item) int {
	if it == nil {
		return 0
	}
	return attr.ItemSize(it)
}

// capacityMeter accumulates one request's consumption per table.
type capacityMeter struct {
	mode   string // "", NONE, TOTAL, INDEXES
	tables map[string]*ConsumedCapacity
	order  []string
}

func newMeter(mode string) *capacityMeter { return &capacityMeter{mode: mode} }

func (m *capacityMeter) on() bool { return m != nil && (m.mode == "TOTAL" || m.mode == "INDEXES") }

func (m *capacityMeter) entry(table string) *ConsumedCapacity {
	if m.tables == nil {
		m.tables = map[string]*ConsumedCapacity{}
	}
	c := m.tables[table]
	if c == nil {
		c = &ConsumedCapacity{TableName: table}
		m.tables[table] = c
		m.order = append(m.order, table)
	}
	return c
}

func addUnits(p **float64, u float64) {
	if *p == nil {
		*p = new(float64)
	}
	**p += u
}

// read records u read units on the table (index "" ) or an index.
func (m *capacityMeter) read(d *tableDesc, index string, global bool, u float64) {
	m.add(d, index, global, u, false)
}

func (m *capacityMeter) write(d *tableDesc, index string, global bool, u float64) {
	m.add(d, index, global, u, true)
}

func (m *capacityMeter) add(d *tableDesc, index string, global bool, u float64, write bool) {
	if !m.on() {
		return
	}
	c := m.entry(d.Name)
	c.CapacityUnits += u
	if write {
		addUnits(&c.WriteCapacityUnits, u)
	} else {
		addUnits(&c.ReadCapacityUnits, u)
	}
	if m.mode != "INDEXES" {
		return
	}
	var cp *Capacity
	switch {
	case index == "":
		if c.Table == nil {
			c.Table = &Capacity{}
		}
		cp = c.Table
	case global:
		if c.GlobalSecondaryIndexes == nil {
			c.GlobalSecondaryIndexes = map[string]Capacity{}
		}
		x := c.GlobalSecondaryIndexes[index]
		cp = &x
		defer func() { c.GlobalSecondaryIndexes[index] = *cp }()
	default:
		if c.LocalSecondaryIndexes == nil {
			c.LocalSecondaryIndexes = map[string]Capacity{}
		}
		x := c.LocalSecondaryIndexes[index]
		cp = &x
		defer func() { c.LocalSecondaryIndexes[index] = *cp }()
	}
	cp.CapacityUnits += u
	if write {
		addUnits(&cp.WriteCapacityUnits, u)
	} else {
		addUnits(&cp.ReadCapacityUnits, u)
	}
}

// writeChange meters one item change: the table and each index it touches.
func (m *capacityMeter) writeChange(c *change, factor float64) {
	if !m.on() {
		return
	}
	m.write(c.d, "", false, factor*writeUnits(max(itemSize(c.old), itemSize(c.new))))
	if c.noop() {
		return
	}
	for i := range c.d.Indexes {
		ix := &c.d.Indexes[i]
		ok, nk := c.d.indexKey(ix, c.old) != nil, c.d.indexKey(ix, c.new) != nil
		u := 0.0
		if ok {
			u += writeUnits(itemSize(c.d.project(ix, c.old)))
		}
		if nk && (!ok || string(c.d.indexKey(ix, c.old)) != string(c.d.indexKey(ix, c.new))) {
			u += writeUnits(itemSize(c.d.project(ix, c.new)))
		} else if nk && ok {
			u = writeUnits(max(itemSize(c.d.project(ix, c.old)), itemSize(c.d.project(ix, c.new))))
		}
		if u > 0 {
			m.write(c.d, ix.Name, ix.Global, factor*u)
		}
	}
}

// one is the single ConsumedCapacity of a one-table request, or nil.
func (m *capacityMeter) one() *ConsumedCapacity {
	if !m.on() || len(m.order) == 0 {
		return nil
	}
	return m.tables[m.order[0]]
}

// all is the ConsumedCapacity list of a multi-table request, or nil.
func (m *capacityMeter) all() []ConsumedCapacity {
	if !m.on() {
		return nil
	}
	out := make([]ConsumedCapacity, 0, len(m.order))
	for _, n := range m.order {
		out = append(out, *m.tables[n])
	}
	return out
}

func validateCapacityMode(mode string) error {
	switch mode {
	case "", "NONE", "TOTAL", "INDEXES":
		return nil
	}
	return errConstraint(mode, "returnConsumedCapacity", "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]")
}
