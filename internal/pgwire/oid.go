package pgwire

import "github.com/jackc/pgx/v5/pgtype"

// Type OIDs of the common PostgreSQL types (pg_type.oid).
const (
	OIDBool        uint32 = pgtype.BoolOID
	OIDBytea       uint32 = pgtype.ByteaOID
	OIDChar        uint32 = pgtype.QCharOID
	OIDName        uint32 = pgtype.NameOID
	OIDInt8        uint32 = pgtype.Int8OID
	OIDInt2        uint32 = pgtype.Int2OID
	OIDInt4        uint32 = pgtype.Int4OID
	OIDText        uint32 = pgtype.TextOID
	OIDOID         uint32 = pgtype.OIDOID
	OIDJSON        uint32 = pgtype.JSONOID
	OIDFloat4      uint32 = pgtype.Float4OID
	OIDFloat8      uint32 = pgtype.Float8OID
	OIDUnknown     uint32 = pgtype.UnknownOID
	OIDBPChar      uint32 = pgtype.BPCharOID
	OIDVarchar     uint32 = pgtype.VarcharOID
	OIDDate        uint32 = pgtype.DateOID
	OIDTime        uint32 = pgtype.TimeOID
	OIDTimestamp   uint32 = pgtype.TimestampOID
	OIDTimestamptz uint32 = pgtype.TimestamptzOID
	OIDInterval    uint32 = pgtype.IntervalOID
	OIDNumeric     uint32 = pgtype.NumericOID
	OIDUUID        uint32 = pgtype.UUIDOID
	OIDJSONB       uint32 = pgtype.JSONBOID
)

// typeSize is pg_type.typlen: the fixed size of a type, -1 if variable.
func typeSize(oid uint32) int16 {
	switch oid {
	case OIDBool, OIDChar:
		return 1
	case OIDInt2:
		return 2
	case OIDInt4, OIDOID, OIDFloat4, OIDDate:
		return 4
	case OIDInt8, OIDFloat8, OIDTime, OIDTimestamp, OIDTimestamptz:
		return 8
	case OIDInterval, OIDUUID:
		return 16
	case OIDName:
		return 64
	}
	return -1
}

// textLike reports types whose binary form is their text form.
func textLike(oid uint32) bool {
	switch oid {
	case OIDText, OIDVarchar, OIDBPChar, OIDName, OIDUnknown, OIDJSON, 0:
		return true
	}
	return false
}

// typeName is the SQL name used in error messages.
func typeName(oid uint32) string {
	switch oid {
	case OIDBool:
		return "boolean"
	case OIDInt2:
		return "smallint"
	case OIDInt4:
		return "integer"
	case OIDInt8:
		return "bigint"
	case OIDFloat4:
		return "real"
	case OIDFloat8:
		return "double precision"
	case OIDNumeric:
		return "numeric"
	case OIDDate:
		return "date"
	case OIDTimestamp:
		return "timestamp without time zone"
	case OIDTimestamptz:
		return "timestamp with time zone"
	case OIDBytea:
		return "bytea"
	case OIDOID:
		return "oid"
	case OIDTime:
		return "time without time zone"
	}
	if t, ok := pgtype.NewMap().TypeForOID(oid); ok {
		return t.Name
	}
	return "unknown"
}
