package partiql

import "strings"

// keywords are PartiQL's reserved words (SQL-92's plus PartiQL's own, as
// partiql-lang-kotlin's LexerConstants, the parser DynamoDB uses). A
// bare identifier that is one of them cannot name an attribute or a table
// (DynamoDB answers "Unexpected keyword"); a double-quoted one can. The
// functions that are also keywords (SIZE, EXISTS, ...) are still called by
// name before "(".
var keywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(sql92Keywords + " " + partiqlKeywords) {
		m[w] = true
	}
	return m
}()

const sql92Keywords = `absolute action add all allocate alter and any are as asc assertion at
authorization avg begin between bit bit_length by cascade cascaded case cast catalog
char character character_length char_length check close coalesce collate collation
column commit connect connection constraint constraints continue convert corresponding
count create cross current current_date current_time current_timestamp current_user
cursor date deallocate dec decimal declare default deferrable deferred delete desc
describe descriptor diagnostics disconnect distinct domain double drop else end escape
except exception exec execute exists external extract false fetch first float for
foreign found from full get global go goto grant group having identity immediate in
indicator initially inner input insensitive insert int integer intersect interval into
is isolation join key language last left level like local lower match max min module
names national natural nchar next no not null nullif numeric octet_length of on only
open option or order outer output overlaps pad partial position precision prepare
preserve primary prior privileges procedure public read real references relative
restrict revoke right rollback rows schema scroll section select session session_user
set size smallint some space sql sqlcode sqlerror sqlstate substring sum system_user
table temporary then time timestamp to transaction translate translation trim true
union unique unknown update upper usage user using value values varchar varying view
when whenever where with work write zone`

const partiqlKeywords = `can_cast can_lossless_cast missing pivot unpivot limit offset
tuple remove index let smallint integer2 int2 integer4 int4 integer8 int8 bigint conflict
do nothing returning modified all new old bool boolean string symbol clob blob struct
list sexp bag`
