package catalog

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Parquet schemas come from the file footer (FileMetaData, Thrift compact
// protocol), read here directly: a crawl needs only the schema elements
// and the row count, so a ~200-line reader replaces the arrow-go parquet
// packages (and their compression codecs) in the binary.

const maxFooterBytes = 64 << 20

var errParquet = errors.New("catalog: malformed parquet footer")

// inferParquet reads the footer of a Parquet file.
func inferParquet(f io.ReaderAt, size int64) (*fileSchema, error) {
	if size < 12 {
		return nil, errParquet
	}
	var tail [8]byte
	if _, err := f.ReadAt(tail[:], size-8); err != nil {
		return nil, err
	}
	if string(tail[4:]) != "PAR1" {
		return nil, errParquet
	}
	n := int64(binary.LittleEndian.Uint32(tail[:4]))
	if n <= 0 || n > maxFooterBytes || n > size-12 {
		return nil, errParquet
	}
	footer := make([]byte, n)
	if _, err := f.ReadAt(footer, size-8-n); err != nil {
		return nil, err
	}
	elems, rows, err := parseFooter(footer)
	if err != nil {
		return nil, err
	}
	cols, err := parquetColumns(elems)
	if err != nil {
		return nil, err
	}
	return &fileSchema{format: "parquet", compression: "none", cols: cols, records: rows, exact: true}, nil
}

// schemaElement is the part of parquet's SchemaElement the crawl uses.
type schemaElement struct {
	typ         int32 // physical type, -1 for groups
	repetition  int32 // 0 required, 1 optional, 2 repeated
	name        string
	numChildren int32
	converted   int32 // -1 if none
	scale       int32
	precision   int32
	logical     int32 // LogicalType union member id, 0 if none
	logScale    int32
	logPrec     int32
	intBits     int32
	intSigned   bool
}

func parseFooter(b []byte) ([]schemaElement, int64, error) {
	r := &thriftReader{b: b}
	var elems []schemaElement
	var rows int64
	err := r.readStruct(0, func(id int16, typ byte) error {
		switch {
		case id == 2 && typ == tcList:
			et, n, err := r.listHeader()
			if err != nil || et != tcStruct {
				return errParquet
			}
			for range n {
				e := schemaElement{typ: -1, converted: -1}
				if err := r.readStruct(1, func(id int16, typ byte) error { return r.schemaField(&e, id, typ) }); err != nil {
					return err
				}
				elems = append(elems, e)
			}
			return nil
		case id == 3 && typ == tcI64:
			v, err := r.zigzag()
			rows = v
			return err
		}
		return r.skip(typ, 0)
	})
	if err != nil {
		return nil, 0, err
	}
	if len(elems) == 0 {
		return nil, 0, errParquet
	}
	return elems, rows, nil
}

func (r *thriftReader) schemaField(e *schemaElement, id int16, typ byte) error {
	i32 := func(dst *int32) error { return r.i32(dst, typ) }
	switch id {
	case 1:
		return i32(&e.typ)
	case 3:
		return i32(&e.repetition)
	case 4:
		if typ != tcBinary {
			return r.skip(typ, 0)
		}
		s, err := r.binary()
		e.name = string(s)
		return err
	case 5:
		return i32(&e.numChildren)
	case 6:
		return i32(&e.converted)
	case 7:
		return i32(&e.scale)
	case 8:
		return i32(&e.precision)
	case 10:
		if typ != tcStruct {
			return r.skip(typ, 0)
		}
		return r.readStruct(1, func(lid int16, lt byte) error {
			e.logical = int32(lid)
			if lt != tcStruct {
				return r.skip(lt, 1)
			}
			return r.readStruct(2, func(fid int16, ft byte) error {
				switch {
				case lid == 5 && fid == 1 && ft == tcI32: // DECIMAL scale
					return r.i32(&e.logScale, ft)
				case lid == 5 && fid == 2 && ft == tcI32:
					return r.i32(&e.logPrec, ft)
				case lid == 10 && fid == 1 && ft == tcByte: // INTEGER bitWidth
					if r.i >= len(r.b) {
						return errParquet
					}
					e.intBits = int32(int8(r.b[r.i]))
					r.i++
					return nil
				case lid == 10 && fid == 2 && (ft == tcTrue || ft == tcFalse):
					e.intSigned = ft == tcTrue
					return nil
				}
				return r.skip(ft, 2)
			})
		})
	}
	return r.skip(typ, 0)
}

func (r *thriftReader) i32(dst *int32, typ byte) error {
	if typ != tcI32 {
		return r.skip(typ, 0)
	}
	v, err := r.zigzag()
	*dst = int32(v)
	return err
}

// parquetColumns turns the flattened schema (depth-first, root first)
// into top-level columns with Hive types.
func parquetColumns(elems []schemaElement) ([]hfield, error) {
	i := 1
	var build func(depth int) (*htype, error)
	var children func(n int32, depth int) ([]hfield, error)
	children = func(n int32, depth int) ([]hfield, error) {
		var out []hfield
		for range n {
			if i >= len(elems) {
				return nil, errParquet
			}
			e := elems[i]
			t, err := build(depth)
			if err != nil {
				return nil, err
			}
			out = append(out, hfield{name: e.name, t: t})
		}
		return out, nil
	}
	build = func(depth int) (*htype, error) {
		if depth > maxJSONDepth {
			return nil, errParquet
		}
		e := elems[i]
		i++
		var t *htype
		if e.numChildren == 0 && e.typ >= 0 {
			t = parquetPrimitive(e)
		} else {
			kids, err := children(e.numChildren, depth+1)
			if err != nil {
				return nil, err
			}
			switch {
			case e.converted == 3 || e.logical == 3: // LIST
				t = listType(e, kids)
			case e.converted == 1 || e.converted == 2 || e.logical == 2: // MAP
				t = mapType(kids)
			default:
				t = &htype{kind: "struct", fields: kids}
			}
			if len(kids) == 0 {
				return nil, errParquet
			}
		}
		if e.repetition == 2 && e.converted != 3 && e.logical != 3 {
			t = &htype{kind: "array", elem: t}
		}
		return t, nil
	}
	if elems[0].numChildren <= 0 {
		return nil, errParquet
	}
	cols, err := children(elems[0].numChildren, 1)
	if err != nil {
		return nil, err
	}
	for j := range cols {
		cols[j].name = strings.ToLower(cols[j].name)
	}
	return cols, nil
}

// listType reads LIST's repeated child: three-level (repeated group list
// { element }) or the legacy two-level forms.
func listType(e schemaElement, kids []hfield) *htype {
	if len(kids) != 1 {
		return &htype{kind: "array", elem: &htype{kind: "struct", fields: kids}}
	}
	inner := kids[0].t
	if inner.kind == "array" { // the repeated child was wrapped above
		inner = inner.elem
	}
	if inner.kind == "struct" && len(inner.fields) == 1 && kids[0].name != "array" && kids[0].name != e.name+"_tuple" {
		return &htype{kind: "array", elem: inner.fields[0].t}
	}
	return &htype{kind: "array", elem: inner}
}

func mapType(kids []hfield) *htype {
	if len(kids) == 1 {
		kv := kids[0].t
		if kv.kind == "array" {
			kv = kv.elem
		}
		if kv.kind == "struct" && len(kv.fields) == 2 {
			return &htype{kind: "map", key: kv.fields[0].t, elem: kv.fields[1].t}
		}
	}
	return &htype{kind: "struct", fields: kids}
}

func parquetPrimitive(e schemaElement) *htype {
	decimal := func() *htype {
		p, s := e.precision, e.scale
		if e.logical == 5 {
			p, s = e.logPrec, e.logScale
		}
		return prim(fmt.Sprintf("decimal(%d,%d)", p, s))
	}
	if e.converted == 5 || e.logical == 5 {
		return decimal()
	}
	switch e.typ {
	case 0:
		return tBoolean
	case 1: // INT32
		switch {
		case e.converted == 6 || e.logical == 6:
			return tDate
		case e.converted == 15 || (e.logical == 10 && e.intBits == 8 && e.intSigned):
			return prim("tinyint")
		case e.converted == 16 || (e.logical == 10 && e.intBits == 16 && e.intSigned):
			return prim("smallint")
		case e.converted == 13 || (e.logical == 10 && e.intBits == 32 && !e.intSigned):
			return tBigint
		}
		return tInt
	case 2: // INT64
		switch {
		case e.converted == 9 || e.converted == 10 || e.logical == 8:
			return tTimestamp
		}
		return tBigint
	case 3:
		return tTimestamp // INT96
	case 4:
		return prim("float")
	case 5:
		return tDouble
	case 6, 7: // BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY
		switch {
		case e.converted == 0 || e.converted == 4 || e.converted == 19 || e.logical == 1 || e.logical == 4 || e.logical == 12 || e.logical == 14:
			return tString
		}
		return prim("binary")
	}
	return tString
}
