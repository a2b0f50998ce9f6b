package partiql

import (
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// name reads a bare (non-keyword) or quoted identifier; ok is false, and
// nothing is consumed, if the current token is neither.
func (p *parser) name() (string, bool) {
	t := p.peek()
	switch {
	case t.kind == tQuoted:
		p.next()
		if t.val == "" {
			fail(msgEmptyIdent)
		}
		return t.val, true
	case t.kind == tIdent && t.kw == "":
		p.next()
		return t.text, true
	}
	return "", false
}

// source reads FROM's table and optional index. dml selects the error for
// a missing table (INSERT, UPDATE, DELETE: "Expected identifier for simple
// path"; SELECT: the term error) and forbids an index.
func (p *parser) source(dml bool) {
	table, ok := p.name()
	if !ok {
		if dml {
			fail(msgExpectedIdent)
		}
		p.termError()
	}
	p.st.Table = table
	if p.eatPunct(".") {
		index, ok := p.name()
		if !ok {
			fail(msgPathComponent)
		}
		if dml {
			fail(msgIndexDML)
		}
		p.st.Index = index
	}
	if t := p.peek(); t.punct(".") || t.punct("[") {
		fail(msgPathComponent)
	}
}

// noAlias rejects a table alias (FROM t x, FROM t AS x).
func (p *parser) noAlias() {
	t := p.peek()
	if t.is("as") || t.kind == tQuoted || (t.kind == tIdent && t.kw == "") {
		fail(msgAliasing)
	}
}

func (p *parser) selectStmt() {
	p.st.Kind = Select
	if p.peek().is("distinct") {
		fail(msgDistinct)
	}
	p.st.Projection = p.projection()
	p.expectKw("from")
	p.source(false)
	p.noAlias()
	if p.eatKw("where") {
		p.st.where = p.condition()
	}
	p.unsupportedClauses()
	if p.eatKw("order") {
		p.expectKw("by")
		for {
			path := p.operand()
			if path.op != opPath {
				fail(msgPathComponent)
			}
			desc := false
			if p.eatKw("desc") {
				desc = true
			} else {
				p.eatKw("asc")
			}
			if len(p.st.OrderBy) == 0 {
				p.st.Descending = desc
			}
			p.st.OrderBy = append(p.st.OrderBy, path.root)
			if !p.eatPunct(",") {
				break
			}
		}
	}
	p.unsupportedClauses()
	p.finishWhere()
}

// unsupportedClauses rejects the SELECT clauses DynamoDB does not run.
func (p *parser) unsupportedClauses() {
	t := p.peek()
	switch {
	case t.is("group"):
		fail("Unsupported clause: GROUP BY")
	case t.is("having"):
		fail("Unsupported clause: HAVING")
	case t.is("limit"):
		fail("Unsupported clause: LIMIT")
	}
}

// projection reads SELECT's list: * or paths; it returns the
// ProjectionExpression ("" for *).
func (p *parser) projection() string {
	if p.eatPunct("*") {
		return ""
	}
	var parts []string
	for {
		n := p.operand()
		if n.op != opPath {
			fail(msgPathComponent)
		}
		if p.peek().is("as") {
			fail(msgAliasing)
		}
		parts = append(parts, n.text)
		if !p.eatPunct(",") {
			break
		}
	}
	return strings.Join(parts, ", ")
}

func (p *parser) finishWhere() {
	if p.st.where != nil {
		p.st.Where = p.st.where.String()
	}
}

func (p *parser) insertStmt() {
	p.st.Kind = Insert
	p.expectKw("into")
	p.source(true)
	switch {
	case p.eatKw("value"):
	case p.peek().is("values") || p.peek().punct("<<"):
		fail(msgInsertMany)
	default:
		if p.atEnd() {
			p.termError()
		}
		fail(msgLeftover)
	}
	v := p.value("")
	if v.Kind != attr.M && !p.missing {
		fail(msgInsertValue)
	}
	p.st.Item = attr.Item(v.M)
	if p.peek().punct(",") {
		fail(msgInsertMany)
	}
	if p.peek().is("returning") {
		fail(msgInsertReturn)
	}
}

func (p *parser) deleteStmt() {
	p.st.Kind = Delete
	if !p.eatKw("from") {
		fail(msgExpectedIdent)
	}
	p.source(true)
	p.noAlias()
	if p.eatKw("where") {
		p.st.where = p.condition()
	}
	p.returning()
	if p.st.Returning != "" && p.st.Returning != "ALL_OLD" {
		fail("Invalid returning clause: RETURNING " + returningText[p.st.Returning] + ". Only RETURNING ALL OLD * is allowed in DELETE statements.")
	}
	p.finishWhere()
}

// updateStmt reads UPDATE t SET ... [WHERE ...] or, with fromFirst,
// PartiQL's FROM t [WHERE ...] SET ... form.
func (p *parser) updateStmt(fromFirst bool) {
	p.st.Kind = Update
	p.source(true)
	p.noAlias()
	if fromFirst && p.eatKw("where") {
		p.st.where = p.condition()
	}
	p.updateActions()
	if !fromFirst && p.eatKw("where") {
		p.st.where = p.condition()
	}
	p.returning()
	p.finishWhere()
}

func (p *parser) existsStmt() {
	p.st.Kind = Exists
	p.expectPunct("(")
	p.expectKw("select")
	p.projection()
	p.st.Projection = ""
	p.expectKw("from")
	p.source(false)
	p.noAlias()
	if p.eatKw("where") {
		p.st.where = p.condition()
	}
	p.expectPunct(")")
	p.finishWhere()
}

var returningText = map[string]string{
	"ALL_OLD": "ALL OLD *", "ALL_NEW": "ALL NEW *",
	"UPDATED_OLD": "MODIFIED OLD *", "UPDATED_NEW": "MODIFIED NEW *",
}

// returning reads an optional RETURNING (ALL|MODIFIED) (OLD|NEW) *.
func (p *parser) returning() {
	if !p.eatKw("returning") {
		return
	}
	var which string
	switch {
	case p.eatKw("all"):
		which = "ALL_"
	case p.eatKw("modified"):
		which = "UPDATED_"
	default:
		p.termError()
	}
	switch {
	case p.eatKw("old"):
		which += "OLD"
	case p.eatKw("new"):
		which += "NEW"
	default:
		p.termError()
	}
	if !p.eatPunct("*") {
		fail(msgReturnStar)
	}
	if p.peek().punct(",") {
		fail(msgReturnMany)
	}
	p.st.Returning = which
}
