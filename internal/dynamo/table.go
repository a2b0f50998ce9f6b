package dynamo

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Table and index statuses, as DynamoDB reports them.
const (
	statusCreating = "CREATING"
	statusActive   = "ACTIVE"
	statusUpdating = "UPDATING"
	statusDeleting = "DELETING"
)

// keyAttr is one key attribute: its name and type (S, N or B).
type keyAttr struct {
	Name string    `json:"name"`
	Type attr.Kind `json:"type"`
}

// indexDesc is a secondary index's persisted definition.
type indexDesc struct {
	Name        string              `json:"name"`
	ID          uint32              `json:"id"` // unique within the table, never reused
	Global      bool                `json:"global"`
	Hash        keyAttr             `json:"hash"`
	Range       *keyAttr            `json:"range,omitempty"`
	Projection  string              `json:"projection"` // KEYS_ONLY, INCLUDE, ALL
	NonKey      []string            `json:"nonKey,omitempty"`
	Status      string              `json:"status"`
	Backfilling bool                `json:"backfilling,omitempty"`
	RCU         int64               `json:"rcu,omitempty"`
	WCU         int64               `json:"wcu,omitempty"`
	OnDemand    *OnDemandThroughput `json:"onDemand,omitempty"`
}

// tableDesc is a table's persisted definition (JSON in the meta space
// under "t/<region>/<name>"). It is immutable once published: a change
// stores and publishes a modified copy.
type tableDesc struct {
	ID          uint64                `json:"id"` // internal, keys the items; never reused
	Region      string                `json:"region"`
	Name        string                `json:"name"`
	UUID        string                `json:"uuid"` // TableId
	Created     time.Time             `json:"created"`
	Status      string                `json:"status"`
	Hash        keyAttr               `json:"hash"`
	Range       *keyAttr              `json:"range,omitempty"`
	Attrs       []AttributeDefinition `json:"attrs"`
	Billing     string                `json:"billing"` // PROVISIONED or PAY_PER_REQUEST
	RCU         int64                 `json:"rcu,omitempty"`
	WCU         int64                 `json:"wcu,omitempty"`
	BillingSet  *time.Time            `json:"billingSet,omitempty"`
	OnDemand    *OnDemandThroughput   `json:"onDemand,omitempty"`
	Indexes     []indexDesc           `json:"indexes,omitempty"`
	NextIndexID uint32                `json:"nextIndexId"`
	StreamID    uint64                `json:"streamId,omitempty"` // latest stream, 0 when none ever
	StreamOn    bool                  `json:"streamOn,omitempty"`
	StreamView  string                `json:"streamView,omitempty"`
	TTLAttr     string                `json:"ttlAttr,omitempty"`
	TTLOn       bool                  `json:"ttlOn,omitempty"`
	TTLReady    bool                  `json:"ttlReady,omitempty"` // the TTL index holds every item
	Tags        []Tag                 `json:"tags,omitempty"`
	Class       string                `json:"class,omitempty"`
	Protected   bool                  `json:"protected,omitempty"`
	SSE         *SSESpecification     `json:"sse,omitempty"`
}

func (d *tableDesc) clone() *tableDesc {
	c := *d
	c.Attrs = append([]AttributeDefinition(nil), d.Attrs...)
	c.Indexes = append([]indexDesc(nil), d.Indexes...)
	c.Tags = append([]Tag(nil), d.Tags...)
	return &c
}

func (d *tableDesc) arn() string {
	return fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", d.Region, accountID, d.Name)
}

// index returns the index named name, or nil.
func (d *tableDesc) index(name string) *indexDesc {
	for i := range d.Indexes {
		if d.Indexes[i].Name == name {
			return &d.Indexes[i]
		}
	}
	return nil
}

// isKey reports whether name is one of the table's key attributes.
func (d *tableDesc) isKey(name string) bool {
	return name == d.Hash.Name || (d.Range != nil && name == d.Range.Name)
}

// table is a live table: its current definition and its statistics.
type table struct {
	desc atomic.Pointer[tableDesc]

	// admin serializes definition changes (UpdateTable, TTL, tags, delete).
	admin sync.Mutex

	items atomic.Int64 // ItemCount, maintained with every committed write
	bytes atomic.Int64 // TableSizeBytes

	idxMu    sync.Mutex
	idxStats map[uint32]*indexStats // by index ID
}

type indexStats struct{ items, bytes atomic.Int64 }

func newTable(d *tableDesc) *table {
	t := &table{idxStats: map[uint32]*indexStats{}}
	t.desc.Store(d)
	return t
}

func (t *table) stats(id uint32) *indexStats {
	t.idxMu.Lock()
	defer t.idxMu.Unlock()
	s := t.idxStats[id]
	if s == nil {
		s = &indexStats{}
		t.idxStats[id] = s
	}
	return s
}

func marshalDesc(d *tableDesc) []byte {
	b, err := json.Marshal(d)
	if err != nil {
		panic("dynamo: marshal table: " + err.Error()) // plain data: cannot fail
	}
	return b
}
