package tpch

import (
	"fmt"
	"slices"
	"strings"
)

// kind is how a column's value is held while generating (always int64 or
// string) and which SQL type it has in the output.
type kind int

const (
	kInt     kind = iota // int64 → INTEGER
	kBigint              // int64 → BIGINT
	kDecimal             // int64 cents → DECIMAL(15,2)
	kDate                // int64 days since 1970-01-01 → DATE
	kChar                // string → CHAR(n) (VARCHAR in Parquet)
	kVarchar             // string → VARCHAR(n)
)

// Column is one column of a TPC-H table as the specification (§1.4)
// defines it.
type Column struct {
	Name string
	kind kind
	size int // for kChar and kVarchar
}

// SQLType is the column's PostgreSQL type (also valid in DuckDB).
func (c Column) SQLType() string {
	switch c.kind {
	case kInt:
		return "integer"
	case kBigint:
		return "bigint"
	case kDecimal:
		return "decimal(15,2)"
	case kDate:
		return "date"
	case kChar:
		return fmt.Sprintf("char(%d)", c.size)
	default:
		return fmt.Sprintf("varchar(%d)", c.size)
	}
}

// Table is one of the eight TPC-H tables.
type Table struct {
	Name    string
	Columns []Column
	// PrimaryKey lists the key columns; ForeignKeys maps a column to the
	// table it references. Both are what LoadPostgres declares.
	PrimaryKey  []string
	ForeignKeys [][2]string // column, referenced table
}

func col(name string, k kind, size ...int) Column {
	c := Column{Name: name, kind: k}
	if len(size) > 0 {
		c.size = size[0]
	}
	return c
}

// Tables returns the eight tables in the specification's order (a copy).
func Tables() []Table { return slices.Clone(tableDefs) }

// tableDefs are the eight tables; read-only.
var tableDefs = []Table{
	{Name: "region", PrimaryKey: []string{"r_regionkey"}, Columns: []Column{
		col("r_regionkey", kInt), col("r_name", kChar, 25), col("r_comment", kVarchar, 152)}},
	{Name: "nation", PrimaryKey: []string{"n_nationkey"}, ForeignKeys: [][2]string{{"n_regionkey", "region"}},
		Columns: []Column{col("n_nationkey", kInt), col("n_name", kChar, 25), col("n_regionkey", kInt),
			col("n_comment", kVarchar, 152)}},
	{Name: "supplier", PrimaryKey: []string{"s_suppkey"}, ForeignKeys: [][2]string{{"s_nationkey", "nation"}},
		Columns: []Column{col("s_suppkey", kInt), col("s_name", kChar, 25), col("s_address", kVarchar, 40),
			col("s_nationkey", kInt), col("s_phone", kChar, 15), col("s_acctbal", kDecimal),
			col("s_comment", kVarchar, 101)}},
	{Name: "customer", PrimaryKey: []string{"c_custkey"}, ForeignKeys: [][2]string{{"c_nationkey", "nation"}},
		Columns: []Column{col("c_custkey", kInt), col("c_name", kVarchar, 25), col("c_address", kVarchar, 40),
			col("c_nationkey", kInt), col("c_phone", kChar, 15), col("c_acctbal", kDecimal),
			col("c_mktsegment", kChar, 10), col("c_comment", kVarchar, 117)}},
	{Name: "part", PrimaryKey: []string{"p_partkey"}, Columns: []Column{
		col("p_partkey", kInt), col("p_name", kVarchar, 55), col("p_mfgr", kChar, 25), col("p_brand", kChar, 10),
		col("p_type", kVarchar, 25), col("p_size", kInt), col("p_container", kChar, 10),
		col("p_retailprice", kDecimal), col("p_comment", kVarchar, 23)}},
	{Name: "partsupp", PrimaryKey: []string{"ps_partkey", "ps_suppkey"},
		ForeignKeys: [][2]string{{"ps_partkey", "part"}, {"ps_suppkey", "supplier"}},
		Columns: []Column{col("ps_partkey", kInt), col("ps_suppkey", kInt), col("ps_availqty", kInt),
			col("ps_supplycost", kDecimal), col("ps_comment", kVarchar, 199)}},
	{Name: "orders", PrimaryKey: []string{"o_orderkey"}, ForeignKeys: [][2]string{{"o_custkey", "customer"}},
		Columns: []Column{col("o_orderkey", kBigint), col("o_custkey", kInt), col("o_orderstatus", kChar, 1),
			col("o_totalprice", kDecimal), col("o_orderdate", kDate), col("o_orderpriority", kChar, 15),
			col("o_clerk", kChar, 15), col("o_shippriority", kInt), col("o_comment", kVarchar, 79)}},
	{Name: "lineitem", PrimaryKey: []string{"l_orderkey", "l_linenumber"},
		ForeignKeys: [][2]string{{"l_orderkey", "orders"}, {"l_partkey", "part"}, {"l_suppkey", "supplier"}},
		Columns: []Column{col("l_orderkey", kBigint), col("l_partkey", kInt), col("l_suppkey", kInt),
			col("l_linenumber", kInt), col("l_quantity", kDecimal), col("l_extendedprice", kDecimal),
			col("l_discount", kDecimal), col("l_tax", kDecimal), col("l_returnflag", kChar, 1),
			col("l_linestatus", kChar, 1), col("l_shipdate", kDate), col("l_commitdate", kDate),
			col("l_receiptdate", kDate), col("l_shipinstruct", kChar, 25), col("l_shipmode", kChar, 10),
			col("l_comment", kVarchar, 44)}},
}

// table returns the table named name.
func table(name string) *Table {
	for i := range tableDefs {
		if tableDefs[i].Name == name {
			return &tableDefs[i]
		}
	}
	panic("tpch: no table " + name)
}

// CreateTable is the table's CREATE TABLE statement with the
// specification's types (PostgreSQL; DuckDB accepts it too).
func (t *Table) CreateTable() string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE TABLE %s (", t.Name)
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s NOT NULL", c.Name, c.SQLType())
	}
	b.WriteString(")")
	return b.String()
}

// readCSV is DuckDB's read_csv of a .tbl file of t, typed as the
// specification's columns (CHAR and VARCHAR as VARCHAR).
func (t *Table) readCSV(path string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "read_csv(%s, delim = '|', header = false, quote = '', escape = '', strict_mode = true, columns = {", sqlString(path))
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		typ := strings.ToUpper(c.SQLType())
		if c.kind == kChar || c.kind == kVarchar {
			typ = "VARCHAR"
		}
		fmt.Fprintf(&b, "'%s': '%s'", c.Name, typ)
	}
	b.WriteString("})")
	return b.String()
}

// HiveType is the column's type in Glue/Athena DDL: CHAR and VARCHAR
// columns become string, which is what the Parquet files hold and what
// Athena compares without CHAR's padding rules.
func (c Column) HiveType() string {
	switch c.kind {
	case kInt:
		return "int"
	case kBigint:
		return "bigint"
	case kDecimal:
		return "decimal(15,2)"
	case kDate:
		return "date"
	default:
		return "string"
	}
}

// CreateExternalTable is the Athena DDL for t's Parquet files under
// location (such as "s3://bucket/tpch/sf1/lineitem/"): the files of one
// table are the objects under its prefix, as Generate lays them out.
func (t *Table) CreateExternalTable(location string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE EXTERNAL TABLE %s (", t.Name)
	for i, c := range t.Columns {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", c.Name, c.HiveType())
	}
	fmt.Fprintf(&b, ") STORED AS PARQUET LOCATION '%s'", location)
	return b.String()
}
