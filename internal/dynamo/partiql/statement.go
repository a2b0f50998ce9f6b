package partiql

import (
	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Kind is what a statement does.
type Kind int

// The kinds of statement. Exists is the condition check of
// ExecuteTransaction: EXISTS(SELECT * FROM t WHERE <key> AND <condition>).
const (
	Select Kind = iota + 1
	Insert
	Update
	Delete
	Exists
)

func (k Kind) String() string {
	switch k {
	case Select:
		return "SELECT"
	case Insert:
		return "INSERT"
	case Update:
		return "UPDATE"
	case Delete:
		return "DELETE"
	case Exists:
		return "EXISTS"
	}
	return ""
}

// Statement is one parsed statement translated into DynamoDB request
// pieces. Every expression refers to attributes only through Names and to
// literals and parameters only through Values; use Used to get the subset
// one request's expressions refer to (DynamoDB rejects unused ones).
type Statement struct {
	Kind  Kind
	Table string // FROM "Table" / INTO "Table" / UPDATE "Table"
	Index string // SELECT ... FROM "Table"."Index"; "" for the table

	Names  map[string]string     // "#n0" -> attribute name
	Values map[string]attr.Value // ":v0" -> literal or ? parameter value

	Projection string // SELECT: the ProjectionExpression; "" for *
	Where      string // the whole WHERE as a ConditionExpression; "" if none

	// OrderBy are the top-level attributes of SELECT's ORDER BY, in order;
	// Descending is the direction of the first (ScanIndexForward=false).
	OrderBy    []string
	Descending bool

	Item attr.Item // INSERT: the item of VALUE {...}

	// Update is UPDATE's UpdateExpression: PartiQL's SET path = value
	// (with +, -, list_append) as SET, SET path = set_add(path, set) as ADD,
	// SET path = set_delete(path, set) as DELETE, REMOVE as REMOVE.
	Update string

	// Returning is the ReturnValues of RETURNING: "ALL_OLD", "ALL_NEW",
	// "UPDATED_OLD", "UPDATED_NEW", or "" (NONE).
	Returning string

	where *node
	ph    *placeholders
}

// IsRead reports whether s is a read (SELECT). BatchExecuteStatement and
// ExecuteTransaction take only reads or only writes; EXISTS counts as a
// write (it is a ConditionCheck of TransactWriteItems).
func (s *Statement) IsRead() bool { return s.Kind == Select }
