-- shop-clickstream-silver: the raw clickstream, typed and deduplicated by
-- event_id, as Parquet partitioned by day. With its job bookmark a run
-- reads only the raw files that arrived since the last successful run.
CREATE EXTERNAL TABLE IF NOT EXISTS clickstream_silver (
  event_id string, ts timestamp, session_id string, user_id string,
  event_type string, product_id string, category string, price double,
  quantity int, order_id string, device string, country string)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://${bucket}/silver/clickstream/';

-- New days of the raw zone become partitions of the crawled table.
MSCK REPAIR TABLE clickstream;

INSERT INTO clickstream_silver
SELECT event_id, CAST(from_iso8601_timestamp(ts) AS timestamp), session_id, user_id,
       event_type, product_id, category, price, quantity, order_id, device, country, dt
FROM (SELECT *, row_number() OVER (PARTITION BY event_id ORDER BY ts) AS copy FROM clickstream)
WHERE copy = 1;
