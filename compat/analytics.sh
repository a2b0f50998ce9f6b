#!/usr/bin/env bash
# compat/analytics.sh — a scripted awscli v2 session of the analytic loop
# against tarn: the lake (S3), the Glue Data Catalog and a crawler, and
# Athena queries, CTAS and DDL (run by compat/run.sh; helpers in common.sh).
set -uo pipefail
COMPAT_SESSION=analytics
. "$(dirname "$0")/common.sh"
cd "$T" || exit 1
B=compat-analytics
DB=compat_shop
OUT="s3://$B/athena-results/"

ok an-make-bucket aws s3 mb "s3://$B"
for d in 1 2; do
	{
		echo "order_id,country,amount,placed_at"
		for i in 1 2 3 4 5; do echo "$d$i,$([ $((i % 2)) -eq 0 ] && echo DE || echo FR),$i.25,2024-03-0$d 10:0$i:00"; done
	} >orders-$d.csv
	ok "an-upload-csv-$d" aws s3 cp orders-$d.csv "s3://$B/raw/orders/dt=2024-03-0$d/orders.csv"
done

ok an-glue-create-database aws glue create-database --database-input "Name=$DB"
got=$(q glue get-database --name "$DB" --query Database.Name)
eq an-glue-get-database "$got" "$DB"
expect_error an-glue-database-exists AlreadyExistsException aws glue create-database --database-input "Name=$DB"
ok an-glue-create-crawler aws glue create-crawler --name compat-orders --role arn:aws:iam::000000000000:role/crawler \
	--database-name "$DB" --targets "S3Targets=[{Path=s3://$B/raw/orders/}]"
ok an-glue-start-crawler aws glue start-crawler --name compat-orders
state=
for _ in $(seq 1 300); do
	state=$(q glue get-crawler --name compat-orders --query 'Crawler.[State,LastCrawl.Status]')
	[ "$state" == "$(printf 'READY\tSUCCEEDED')" ] && break
	sleep 0.1
done
eq an-glue-crawl-succeeds "$state" "$(printf 'READY\tSUCCEEDED')"
got=$(q glue get-crawler-metrics --crawler-name-list compat-orders --query 'CrawlerMetricsList[0].TablesCreated')
eq an-glue-crawler-metrics "$got" "1"
got=$(q glue get-table --database-name "$DB" --name orders \
	--query 'Table.[StorageDescriptor.Columns[].Name | join(`,`, @), PartitionKeys[0].Name, Parameters.classification]')
eq an-glue-crawled-table "$got" "$(printf 'order_id,country,amount,placed_at\tdt\tcsv')"
got=$(q glue get-partitions --database-name "$DB" --table-name orders --query 'Partitions[].Values[0]' | tr '\t' '\n' | sort | tr '\n' ' ')
eq an-glue-partitions "$got" "2024-03-01 2024-03-02 "
got=$(q glue get-partitions --database-name "$DB" --table-name orders --expression "dt > '2024-03-01'" --query 'Partitions[].Values[0]')
eq an-glue-partition-expression "$got" "2024-03-02"

# athena: start, poll, fetch. run_query SQL -> prints the query id, or
# "FAILED reason" when the query did not succeed.
run_query() {
	local id st
	id=$(q athena start-query-execution --query-string "$1" --query-execution-context "Database=$DB" \
		--result-configuration "OutputLocation=$OUT" --query QueryExecutionId) || return 1
	for _ in $(seq 1 600); do
		st=$(q athena get-query-execution --query-execution-id "$id" --query 'QueryExecution.Status.State')
		case $st in SUCCEEDED) echo "$id"; return 0 ;;
		FAILED | CANCELLED) echo "$st $(q athena get-query-execution --query-execution-id "$id" --query 'QueryExecution.Status.StateChangeReason')"; return 0 ;;
		esac
		sleep 0.05
	done
	echo "TIMEOUT"
}
rows() { q athena get-query-results --query-execution-id "$1" --query 'ResultSet.Rows[].Data[].VarCharValue' ; }

id=$(run_query "SELECT country, count(*) AS orders, sum(amount) AS revenue FROM orders GROUP BY country ORDER BY country")
got=$(rows "$id")
eq an-athena-aggregate "$got" "$(printf 'country\torders\trevenue\tDE\t4\t13.0\tFR\t6\t19.5')"
got=$(q athena get-query-results --query-execution-id "$id" --query 'ResultSet.ResultSetMetadata.ColumnInfo[].Type')
eq an-athena-column-types "$got" "$(printf 'varchar\tbigint\tdouble')"
got=$(q s3api list-objects-v2 --bucket "$B" --prefix "athena-results/$id" --query 'Contents[].Key')
eq an-athena-result-in-lake "$got" "$(printf 'athena-results/%s.csv\tathena-results/%s.csv.metadata' "$id" "$id")"
id=$(run_query "SELECT date_format(date_parse('2024-03-02 10:02:00', '%Y-%m-%d %H:%i:%s') + INTERVAL '1' HOUR, '%H:%i') AS t, approx_distinct(order_id) AS c FROM orders WHERE dt = '2024-03-02' AND regexp_like(country, '^D')")
eq an-athena-trino-functions "$(rows "$id")" "$(printf 't\tc\t11:02\t2')"
id=$(run_query "SELECT nope FROM orders")
case $id in "FAILED "*COLUMN_NOT_FOUND* | "FAILED "*nope*) pass an-athena-column-not-found ;; *) fail an-athena-column-not-found "$id" ;; esac
id=$(run_query "SELECT * FROM no_such_table")
case $id in "FAILED "*no_such_table*) pass an-athena-table-not-found ;; *) fail an-athena-table-not-found "$id" ;; esac

id=$(run_query "CREATE TABLE orders_fr WITH (format = 'PARQUET', external_location = 's3://$B/curated/orders_fr/') AS SELECT order_id, amount FROM orders WHERE country = 'FR'")
case $id in FAILED* | TIMEOUT) fail an-athena-ctas "$id" ;; *) pass an-athena-ctas ;; esac
got=$(q s3 ls "s3://$B/curated/orders_fr/" --recursive | wc -l)
if [ "$got" -ge 1 ]; then pass an-athena-ctas-wrote-parquet; else fail an-athena-ctas-wrote-parquet "no objects"; fi
id=$(run_query "SELECT count(*), sum(amount) FROM orders_fr")
eq an-athena-query-ctas-table "$(rows "$id")" "$(printf '_col0\t_col1\t6\t19.5')"
id=$(run_query "SHOW TABLES")
eq an-athena-show-tables "$(rows "$id" | tr '\t' '\n' | sort | tr '\n' ' ')" "orders orders_fr "
got=$(q athena list-work-groups --query 'WorkGroups[].Name')
case $'\t'"$got"$'\t' in *$'\t'primary$'\t'*) pass an-athena-primary-workgroup ;; *) fail an-athena-primary-workgroup "got [$got]" ;; esac
got=$(q athena list-table-metadata --catalog-name AwsDataCatalog --database-name "$DB" --query 'TableMetadataList[].Name' | tr '\t' '\n' | sort | tr '\n' ' ')
eq an-athena-list-table-metadata "$got" "orders orders_fr "
ok an-athena-named-query aws athena create-named-query --name top --database "$DB" --query-string "SELECT 1"
expect_error an-athena-no-output-location InvalidRequestException aws athena start-query-execution --query-string "SELECT 1"
finish
