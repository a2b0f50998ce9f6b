#!/usr/bin/env bash
# compat/psql.sh — a scripted psql session against tarn's Redshift-style
# warehouse (PostgreSQL wire on TARN_COMPAT_PG_PORT), with awscli putting
# the data into the lake and reading the Redshift Data API (run by
# compat/run.sh; helpers in common.sh).
set -uo pipefail
COMPAT_SESSION=psql
. "$(dirname "$0")/common.sh"
cd "$T" || exit 1
: "${TARN_COMPAT_PG_PORT:?TARN_COMPAT_PG_PORT must be set}"
export PGHOST=127.0.0.1 PGPORT=$TARN_COMPAT_PG_PORT PGUSER=test PGPASSWORD=test PGDATABASE=dev PGSSLMODE=disable PGCONNECT_TIMEOUT=5
unset PGSERVICE PGSERVICEFILE PGPASSFILE
export PSQLRC=/dev/null
# p SQL: psql's unaligned, tuples-only output of SQL (stderr kept).
p() { timeout 60 /usr/bin/psql -X -q -v ON_ERROR_STOP=1 -At -F '|' -c "$1" 2>&1; }
B=compat-warehouse
ROLE=arn:aws:iam::000000000000:role/compat-redshift

ok pg-make-bucket aws s3 mb "s3://$B"
printf 'id,name,amount,sold_at\n1,tent,199.90,2024-05-01\n2,stove,49.50,2024-05-01\n3,rope,12.25,2024-05-02\n' | gzip >sales.csv.gz
ok pg-upload-csv aws s3 cp sales.csv.gz "s3://$B/raw/sales/part-0.csv.gz"

got=$(p "SELECT version()")
case $got in *PostgreSQL*Redshift*) pass pg-version ;; *) fail pg-version "$got" ;; esac
got=$(p "SHOW server_version")
eq pg-server-version "$got" "8.0.2"
ok pg-create-table p "CREATE TABLE sales (id INT4 NOT NULL, name VARCHAR(32) ENCODE lzo, amount DECIMAL(10,2), sold_at DATE) DISTSTYLE KEY DISTKEY (id) COMPOUND SORTKEY (sold_at, id)"
got=$(p "COPY sales FROM 's3://$B/raw/sales/' IAM_ROLE '$ROLE' FORMAT AS CSV IGNOREHEADER 1 GZIP DATEFORMAT 'auto'")
eq pg-copy "$got" "INFO:  Load into table 'sales' completed, 3 record(s) loaded successfully."
got=$(p "SELECT count(*), sum(amount) FROM sales")
eq pg-copied-rows "$got" "3|261.65"
got=$(p "SELECT name, NVL(NULL, amount), DATEADD(day, 1, sold_at)::DATE FROM sales WHERE id = 1")
eq pg-redshift-functions "$got" "tent|199.90|2024-05-02"
got=$(p "SELECT LISTAGG(name, ',') WITHIN GROUP (ORDER BY id) FROM sales")
eq pg-listagg "$got" "tent,stove,rope"
got=$(p '\dt')
case $got in *sales*) pass pg-backslash-dt ;; *) fail pg-backslash-dt "$got" ;; esac
got=$(p '\d sales')
case $got in *amount*numeric*) pass pg-backslash-d ;; *) fail pg-backslash-d "$got" ;; esac
got=$(printf 'BEGIN;\nINSERT INTO sales VALUES (4, %s, 1.00, %s);\nROLLBACK;\nSELECT count(*) FROM sales;\n' "'x'" "'2024-05-03'" | timeout 60 /usr/bin/psql -X -q -At 2>&1)
eq pg-transaction-rollback "$got" "3"
got=$(p "SELECT * FROM no_such_table")
case $got in *'relation "no_such_table" does not exist'*) pass pg-error-sqlstate ;; *) fail pg-error-sqlstate "$got" ;; esac
got=$(p "SELECT * FROM read_csv('/etc/passwd')")
case $got in ERROR*) pass pg-sandbox-refuses-host-files ;; *) fail pg-sandbox-refuses-host-files "$got" ;; esac
ok pg-unload p "UNLOAD ('SELECT sold_at, sum(amount) AS revenue FROM sales GROUP BY sold_at') TO 's3://$B/unload/daily_' IAM_ROLE '$ROLE' FORMAT AS PARQUET PARTITION BY (sold_at)"
got=$(q s3 ls "s3://$B/unload/" --recursive | wc -l)
if [ "$got" -ge 2 ]; then pass pg-unload-partitions-in-lake; else fail pg-unload-partitions-in-lake "$got objects"; fi
expect_error pg-wrong-password "password authentication failed" env PGPASSWORD=wrong /usr/bin/psql -X -At -c "SELECT 1"

# The Redshift Data API on the same tables.
id=$(q redshift-data execute-statement --database dev --workgroup-name default --sql "SELECT name FROM sales ORDER BY id" --query Id)
st=
for _ in $(seq 1 200); do
	st=$(q redshift-data describe-statement --id "$id" --query Status)
	case $st in FINISHED | FAILED | ABORTED) break ;; esac
	sleep 0.05
done
eq pg-data-api-status "$st" "FINISHED"
got=$(q redshift-data get-statement-result --id "$id" --query 'Records[*][0].stringValue')
eq pg-data-api-result "$got" "$(printf 'tent\tstove\trope')"
finish
