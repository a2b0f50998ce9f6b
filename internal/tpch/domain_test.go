package tpch

import (
	"testing"
)

// TestIntegrityAndDomains checks the generated SF 0.01 with SQL: each
// query must return 0 (a count of violations) unless want says otherwise.
func TestIntegrityAndDomains(t *testing.T) {
	dir, _ := sharedData(t)
	d, err := OpenDuckDB(t.Context(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	checks := []struct{ name, q string }{
		// keys
		{"unique o_orderkey", `select count(*) - count(distinct o_orderkey) from orders`},
		{"unique (l_orderkey, l_linenumber)", `select count(*) - count(distinct (l_orderkey, l_linenumber)) from lineitem`},
		{"unique (ps_partkey, ps_suppkey)", `select count(*) - count(distinct (ps_partkey, ps_suppkey)) from partsupp`},
		{"dense keys", `select (select max(p_partkey) - count(*) from part) + (select max(s_suppkey) - count(*) from supplier)
			+ (select max(c_custkey) - count(*) from customer)`},
		{"sparse order keys", `select count(*) from orders where (o_orderkey - 1) % 32 >= 8`},
		{"l_orderkey in orders", `select count(*) from lineitem where l_orderkey not in (select o_orderkey from orders)`},
		{"every order has lines", `select count(*) from orders where o_orderkey not in (select l_orderkey from lineitem)`},
		{"line numbers 1..n", `select count(*) from (select l_orderkey from lineitem group by 1 having max(l_linenumber) <> count(*) or count(*) > 7)`},
		{"ps_partkey in part", `select count(*) from partsupp where ps_partkey not in (select p_partkey from part)`},
		{"ps_suppkey in supplier", `select count(*) from partsupp where ps_suppkey not in (select s_suppkey from supplier)`},
		{"4 suppliers per part", `select count(*) from (select ps_partkey from partsupp group by 1 having count(distinct ps_suppkey) <> 4)`},
		{"(l_partkey, l_suppkey) in partsupp", `select count(*) from lineitem where (l_partkey, l_suppkey) not in (select (ps_partkey, ps_suppkey) from partsupp)`},
		{"o_custkey in customer, not a multiple of 3", `select count(*) from orders where o_custkey % 3 = 0 or o_custkey not in (select c_custkey from customer)`},
		{"nation/region keys", `select (select count(*) from nation where n_regionkey not in (select r_regionkey from region))
			+ (select count(*) from supplier where s_nationkey not between 0 and 24) + (select count(*) from customer where c_nationkey not between 0 and 24)`},
		// lineitem rules relative to CURRENTDATE 1995-06-17
		{"returnflag rule", `select count(*) from lineitem where (l_receiptdate <= date '1995-06-17') <> (l_returnflag in ('R', 'A')) or l_returnflag not in ('R', 'A', 'N')`},
		{"linestatus rule", `select count(*) from lineitem where l_linestatus <> case when l_shipdate > date '1995-06-17' then 'O' else 'F' end`},
		{"orderstatus rule", `select count(*) from orders join (select l_orderkey, bool_and(l_linestatus = 'F') f, bool_and(l_linestatus = 'O') o from lineitem group by 1) on o_orderkey = l_orderkey
			where o_orderstatus <> case when f then 'F' when o then 'O' else 'P' end`},
		{"o_orderdate range", `select count(*) from orders where o_orderdate < date '1992-01-01' or o_orderdate > date '1998-12-31' - interval '151' day`},
		{"ship/commit/receipt offsets", `select count(*) from lineitem join orders on l_orderkey = o_orderkey where
			l_shipdate - o_orderdate not between 1 and 121 or l_commitdate - o_orderdate not between 30 and 90 or l_receiptdate - l_shipdate not between 1 and 30`},
		{"quantity, discount, tax", `select count(*) from lineitem where l_quantity not between 1 and 50 or l_quantity <> round(l_quantity)
			or l_discount not between 0 and 0.10 or l_tax not between 0 and 0.08`},
		// prices
		{"p_retailprice formula", `select count(*) from part where p_retailprice * 100 <> 90000 + (p_partkey // 10) % 20001 + 100 * (p_partkey % 1000)`},
		{"l_extendedprice = quantity * retailprice", `select count(*) from lineitem join part on l_partkey = p_partkey where l_extendedprice <> l_quantity * p_retailprice`},
		{"o_totalprice from lineitems", `select count(*) from orders join (select l_orderkey, sum(l_extendedprice * (1 + l_tax) * (1 - l_discount)) t from lineitem group by 1) on o_orderkey = l_orderkey
			where o_totalprice <> round(t, 2)`},
		{"acctbal and supplycost ranges", `select (select count(*) from customer where c_acctbal not between -999.99 and 9999.99)
			+ (select count(*) from supplier where s_acctbal not between -999.99 and 9999.99) + (select count(*) from partsupp where ps_supplycost not between 1 and 1000 or ps_availqty not between 1 and 9999)`},
		// formats
		{"phone from nation", `select (select count(*) from customer where substr(c_phone, 1, 3) <> cast(c_nationkey + 10 as varchar) || '-' or not regexp_full_match(c_phone, '\d\d-\d{3}-\d{3}-\d{4}'))
			+ (select count(*) from supplier where substr(s_phone, 1, 3) <> cast(s_nationkey + 10 as varchar) || '-')`},
		{"names", `select (select count(*) from customer where c_name <> 'Customer#' || lpad(cast(c_custkey as varchar), 9, '0'))
			+ (select count(*) from supplier where s_name <> 'Supplier#' || lpad(cast(s_suppkey as varchar), 9, '0'))
			+ (select count(*) from orders where not regexp_full_match(o_clerk, 'Clerk#0000000\d\d') or o_shippriority <> 0)`},
		{"p_name: 5 distinct colors", `select count(*) from part where len(list_distinct(string_split(p_name, ' '))) <> 5`},
		{"mfgr and brand", `select count(*) from part where not regexp_full_match(p_mfgr, 'Manufacturer#[1-5]') or p_brand <> 'Brand#' || right(p_mfgr, 1) || right(p_brand, 1) or right(p_brand, 1) not between '1' and '5'`},
		{"p_type and p_container syllables", `select (select count(distinct p_type) from part) + (select count(distinct p_container) from part) - 190`},
		{"p_size", `select count(*) from part where p_size not between 1 and 50`},
		{"comment lengths", `select (select count(*) from lineitem where length(l_comment) not between 10 and 43)
			+ (select count(*) from orders where length(o_comment) not between 19 and 78)
			+ (select count(*) from customer where length(c_comment) not between 29 and 116)
			+ (select count(*) from partsupp where length(ps_comment) not between 49 and 198)
			+ (select count(*) from part where length(p_comment) not between 5 and 22)
			+ (select count(*) from supplier where length(s_comment) not between 25 and 100)
			+ (select count(*) from supplier where length(s_address) not between 10 and 40)`},
		{"fixed nations", `select count(*) from nation join region on n_regionkey = r_regionkey where
			(n_name = 'FRANCE' and r_name <> 'EUROPE') or (n_name = 'BRAZIL' and r_name <> 'AMERICA') or (n_name = 'SAUDI ARABIA' and r_name <> 'MIDDLE EAST')`},
		// the CSV holds the same rows as the Parquet files
		{"csv = parquet (lineitem)", `select count(*) from (select * from lineitem except select * from read_csv('` + dir + `/lineitem/*.tbl', delim = '|', header = false, columns = {
			'l_orderkey': 'BIGINT', 'l_partkey': 'INTEGER', 'l_suppkey': 'INTEGER', 'l_linenumber': 'INTEGER', 'l_quantity': 'DECIMAL(15,2)', 'l_extendedprice': 'DECIMAL(15,2)',
			'l_discount': 'DECIMAL(15,2)', 'l_tax': 'DECIMAL(15,2)', 'l_returnflag': 'VARCHAR', 'l_linestatus': 'VARCHAR', 'l_shipdate': 'DATE', 'l_commitdate': 'DATE',
			'l_receiptdate': 'DATE', 'l_shipinstruct': 'VARCHAR', 'l_shipmode': 'VARCHAR', 'l_comment': 'VARCHAR'}, quote = '', escape = ''))`},
	}
	for _, c := range checks {
		var n int64
		if err := d.DB().QueryRowContext(t.Context(), c.q).Scan(&n); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if n != 0 {
			t.Errorf("%s: %d violations", c.name, n)
		}
	}
}

// TestDistributions checks a few frequencies against the specification's
// expectations, loosely (SF 0.01 is small).
func TestDistributions(t *testing.T) {
	dir, _ := sharedData(t)
	d, err := OpenDuckDB(t.Context(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for _, c := range []struct {
		name   string
		q      string
		lo, hi float64
	}{
		{"share of R/A among returned lines", `select avg(case when l_returnflag = 'R' then 1.0 else 0 end) from lineitem where l_returnflag <> 'N'`, 0.47, 0.53},
		{"customers with orders", `select count(distinct o_custkey) / (select count(*) from customer) from orders`, 0.6, 0.67},
		{"mean lines per order", `select count(*) / (select count(*) from orders) from lineitem`, 3.9, 4.1},
		{"mean discount", `select avg(l_discount) from lineitem`, 0.048, 0.052},
		{"orders with special%requests comments", `select avg(case when o_comment like '%special%requests%' then 1.0 else 0 end) from orders`, 0.001, 0.05},
		{"p_name with green", `select avg(case when p_name like '%green%' then 1.0 else 0 end) from part`, 0.04, 0.07},
	} {
		var v float64
		if err := d.DB().QueryRowContext(t.Context(), c.q).Scan(&v); err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if v < c.lo || v > c.hi {
			t.Errorf("%s = %.4f, want in [%g, %g]", c.name, v, c.lo, c.hi)
		}
	}
}
