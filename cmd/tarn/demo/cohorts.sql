-- shop-cohort-retention, on the warehouse engine: for each cohort (the day
-- a user was first seen) how many of its users came back N days later.
-- Retention needs the whole history, so the job reads all of the silver
-- table (no bookmark) through an external schema over the Glue catalog and
-- replaces the warehouse table in one statement.
CREATE EXTERNAL SCHEMA IF NOT EXISTS lake FROM DATA CATALOG DATABASE 'shop'
  IAM_ROLE 'arn:aws:iam::000000000000:role/tarn-demo-glue';

CREATE OR REPLACE TABLE cohort_retention AS
WITH active AS (SELECT DISTINCT user_id, CAST(ts AS date) AS day FROM lake.clickstream_silver),
     cohorts AS (SELECT user_id, min(day) AS cohort FROM active GROUP BY user_id)
SELECT c.cohort, DATEDIFF(day, c.cohort, a.day) AS day_n, count(*) AS users
FROM active a JOIN cohorts c ON c.user_id = a.user_id
GROUP BY 1, 2;
