package engine

// Statement is one statement of a script.
type Statement struct {
	Text   string  // the statement's text, trimmed, without its ';'
	Tokens []Token // its significant tokens (no spaces, no comments); Pos is an offset in Text
	Offset int     // where Text starts in the script
}

// Split cuts sql into statements at semicolons outside quotes, comments
// and dollar-quoted strings. Statements with no significant token are
// dropped. It fails only with ErrUnterminated.
func Split(sql string) ([]Statement, error) {
	toks, err := Lex(sql)
	if err != nil {
		return nil, err
	}
	var out []Statement
	start := 0
	flush := func(end int) {
		part := trimComments(toks[start:end])
		if sig := Significant(part); len(sig) > 0 {
			base := part[0].Pos
			for i := range sig {
				sig[i].Pos -= base
			}
			out = append(out, Statement{Text: Join(part), Tokens: sig, Offset: base})
		}
	}
	for i, t := range toks {
		if t.Kind == Punct && t.Text == ";" {
			flush(i)
			start = i + 1
		}
	}
	flush(len(toks))
	return out, nil
}

// trimComments drops leading and trailing space and comment tokens.
func trimComments(toks []Token) []Token {
	for len(toks) > 0 && (toks[0].Kind == Space || toks[0].Kind == Comment) {
		toks = toks[1:]
	}
	for len(toks) > 0 && (toks[len(toks)-1].Kind == Space || toks[len(toks)-1].Kind == Comment) {
		toks = toks[:len(toks)-1]
	}
	return toks
}

// Kind is what a statement is allowed to be on the Athena path.
type Kind int

// Statement kinds.
const (
	// Refused statements never run: SET, PRAGMA, COPY, ATTACH, INSTALL,
	// LOAD, CREATE MACRO/SECRET/VIEW, UPDATE, DELETE and anything unknown.
	Refused Kind = iota
	// Read is a plain query: SELECT, WITH, VALUES, TABLE, EXPLAIN.
	Read
	// Utility is a statement tarn answers itself: SHOW ..., DESCRIBE /
	// DESC, PREPARE name FROM ..., EXECUTE name [USING ...],
	// DEALLOCATE PREPARE name.
	Utility
	// DDL is a statement tarn runs itself: CREATE EXTERNAL TABLE, CREATE
	// TABLE ... AS (CTAS), CREATE [OR REPLACE] VIEW, DROP VIEW,
	// CREATE DATABASE / SCHEMA, INSERT INTO,
	// MSCK REPAIR TABLE, DROP TABLE, DROP DATABASE / SCHEMA,
	// ALTER TABLE ... ADD PARTITION, UNLOAD (query) TO 's3://...'.
	DDL
)

func (k Kind) String() string {
	switch k {
	case Read:
		return "read"
	case Utility:
		return "utility"
	case DDL:
		return "ddl"
	}
	return "refused"
}

// Classify returns the kind of a statement from its leading keywords.
// Classification is only the first filter: a Read statement must still
// pass the engine's gate, and DDL is parsed by its runner.
func Classify(s Statement) Kind {
	t := s.Tokens
	for len(t) > 0 && t[0].Kind == Punct && t[0].Text == "(" { // (SELECT ...) UNION ...
		t = t[1:]
	}
	if len(t) == 0 || t[0].Kind != Ident {
		return Refused
	}
	word := func(i int) string {
		if i < len(t) && t[i].Kind == Ident {
			return t[i].Upper()
		}
		return ""
	}
	switch word(0) {
	case "SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN":
		if word(0) == "EXPLAIN" && (word(1) == "ANALYZE" || word(1) == "ANALYSE") {
			return Read // runs the query; still only a read
		}
		return Read
	case "SHOW", "DESCRIBE", "DESC", "EXECUTE", "PREPARE":
		return Utility
	case "DEALLOCATE":
		if word(1) == "PREPARE" {
			return Utility
		}
	case "INSERT":
		if word(1) == "INTO" {
			return DDL
		}
	case "UNLOAD":
		return DDL
	case "MSCK":
		if word(1) == "REPAIR" && word(2) == "TABLE" {
			return DDL
		}
	case "DROP":
		switch word(1) {
		case "TABLE", "DATABASE", "SCHEMA", "VIEW":
			return DDL
		}
	case "ALTER":
		if word(1) == "TABLE" {
			return DDL
		}
	case "CREATE":
		switch word(1) {
		case "EXTERNAL", "DATABASE", "SCHEMA", "VIEW":
			return DDL
		case "OR":
			if word(2) == "REPLACE" && word(3) == "VIEW" {
				return DDL
			}
		case "TABLE":
			for _, x := range t[2:] {
				if x.Is("AS") {
					return DDL // CTAS; the runner checks the shape
				}
			}
		}
	}
	return Refused
}
