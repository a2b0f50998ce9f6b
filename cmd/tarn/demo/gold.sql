-- shop-daily-gold: per-day aggregates of the silver clickstream and the
-- raw orders, appended for the days a run's bookmark lets it read (each
-- day arrives whole, so a day is aggregated once).
CREATE EXTERNAL TABLE IF NOT EXISTS daily_funnel (
  sessions bigint, viewed bigint, carted bigint, checked_out bigint, purchased bigint)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://${bucket}/gold/daily_funnel/';

CREATE EXTERNAL TABLE IF NOT EXISTS daily_revenue (orders bigint, revenue double, customers bigint)
PARTITIONED BY (dt string)
STORED AS PARQUET
LOCATION 's3://${bucket}/gold/daily_revenue/';

MSCK REPAIR TABLE orders;

INSERT INTO daily_funnel
SELECT count(DISTINCT session_id),
       count(DISTINCT CASE WHEN event_type = 'product_view' THEN session_id END),
       count(DISTINCT CASE WHEN event_type = 'add_to_cart' THEN session_id END),
       count(DISTINCT CASE WHEN event_type = 'checkout' THEN session_id END),
       count(DISTINCT CASE WHEN event_type = 'purchase' THEN session_id END),
       dt
FROM clickstream_silver GROUP BY dt;

INSERT INTO daily_revenue
SELECT count(*), round(sum(total), 2), count(DISTINCT user_id), dt
FROM orders GROUP BY dt;
