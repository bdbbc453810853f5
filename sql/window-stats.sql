-- Per-minute latency statistics per service and endpoint from the telemetry topic (docs/telemetry.md spans):
-- count, errors (status 'error' or HTTP >= 500), error rate, rps, p50/p95/p99 (DDSketch, 1% relative accuracy)
-- and the serialised sketch, to Kafka (topic WINDOW_STATS_TOPIC) and Elasticsearch (daily indices) in ONE job.
--   ./hawkeye sql sql/window-stats.sql -D KAFKA_BOOTSTRAP=localhost:9092 -D ES_HOSTS=http://localhost:9200
-- On a cluster: ./hawkeye sql --print ... > resolved.sql; sql-client.sh -j <job jar> -i sql/functions.sql -f resolved.sql
-- (docs/sql.md).
SET 'table.local-time-zone' = 'UTC';
SET 'pipeline.name' = 'hawkeye-sql-window-stats';
-- A partition without data must not hold the watermark (and so every window) back.
SET 'table.exec.source.idle-timeout' = '1 min';

-- The Hawkeye functions come from the init script sql/functions.sql: the runner runs it before this one;
-- with sql-client.sh pass it as -i sql/functions.sql.

-- Spans as producers write them; ts must be epoch milliseconds here (RFC 3339 strings are parse errors).
-- json.ignore-parse-errors = true skips records that are not JSON or have a wrongly typed field: the pipeline keeps
-- running on bad input, but such records are dropped WITHOUT a trace (the DataStream job dead-letters them instead).
-- Set it to 'false' to fail the job on the first bad record.
CREATE TEMPORARY TABLE telemetry (
  `type` STRING,
  ts BIGINT,
  service STRING,
  endpoint STRING,
  duration_ms DOUBLE,
  `status` STRING,
  kafka_partition INT METADATA FROM 'partition' VIRTUAL,
  kafka_offset BIGINT METADATA FROM 'offset' VIRTUAL,
  event_time AS TO_TIMESTAMP_LTZ(ts, 3),
  WATERMARK FOR event_time AS event_time - INTERVAL '5' SECOND
) WITH (
  'connector' = 'kafka',
  'topic' = '${TELEMETRY_TOPIC:-telemetry}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'properties.group.id' = '${GROUP_ID:-hawkeye-sql-window-stats}',
  'scan.startup.mode' = '${SCAN_STARTUP_MODE:-earliest-offset}',
  'scan.bounded.mode' = '${SCAN_BOUNDED_MODE:-unbounded}',
  'format' = 'json',
  'json.ignore-parse-errors' = 'true'
);

-- Valid spans only (the rules of docs/telemetry.md that SQL can check); errors: 'error' or HTTP 5xx.
CREATE TEMPORARY VIEW spans AS
SELECT event_time, TRIM(service) AS service, TRIM(endpoint) AS endpoint, duration_ms,
       CASE WHEN LOWER(`status`) = 'error' OR TRY_CAST(`status` AS INT) >= 500 THEN 1 ELSE 0 END AS is_error
FROM telemetry
WHERE (LOWER(`type`) = 'span' OR (`type` IS NULL AND duration_ms IS NOT NULL))
  AND ts IS NOT NULL AND TRIM(service) <> '' AND TRIM(endpoint) <> ''
  AND duration_ms >= 0 AND `status` IS NOT NULL;

CREATE TEMPORARY VIEW minute_stats AS
SELECT service, endpoint, window_start, window_end, cnt AS `count`, errors,
       CAST(errors AS DOUBLE) / cnt AS error_rate, CAST(cnt AS DOUBLE) / 60 AS rps,
       p[1] AS p50_ms, p[2] AS p95_ms, p[3] AS p99_ms, sketch
FROM (
  SELECT service, endpoint, window_start, window_end, COUNT(*) AS cnt, CAST(SUM(is_error) AS BIGINT) AS errors,
         APPROX_PERCENTILES(duration_ms, ARRAY[0.5, 0.95, 0.99]) AS p, SKETCH(duration_ms) AS sketch
  FROM TABLE(TUMBLE(TABLE spans, DESCRIPTOR(event_time), INTERVAL '1' MINUTE))
  GROUP BY service, endpoint, window_start, window_end
);

-- Append-only JSON, keyed by service and endpoint; sketch is base64 (the same bytes as the DataStream job's).
CREATE TEMPORARY TABLE window_stats_kafka (
  service STRING, endpoint STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3),
  `count` BIGINT, errors BIGINT, error_rate DOUBLE, rps DOUBLE,
  p50_ms DOUBLE, p95_ms DOUBLE, p99_ms DOUBLE, sketch BYTES
) WITH (
  'connector' = 'kafka',
  'topic' = '${WINDOW_STATS_TOPIC:-hawkeye.sql-window-stats}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'key.format' = 'json',
  'key.fields' = 'service;endpoint',
  'value.format' = 'json',
  'value.json.timestamp-format.standard' = 'ISO-8601',
  'sink.delivery-guarantee' = 'at-least-once'
);

-- Upsert by (service, endpoint, window_start): document id "service|endpoint|<window start epoch ms>".
CREATE TEMPORARY TABLE window_stats_es (
  service STRING, endpoint STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3),
  `count` BIGINT, errors BIGINT, error_rate DOUBLE, rps DOUBLE,
  p50_ms DOUBLE, p95_ms DOUBLE, p99_ms DOUBLE, sketch BYTES,
  PRIMARY KEY (service, endpoint, window_start) NOT ENFORCED
) WITH (
  'connector' = 'hawkeye-elasticsearch',
  'hosts' = '${ES_HOSTS}',
  'index' = '${ES_INDEX_PREFIX:-hawkeye-sql-window-stats}-{window_start|yyyy.MM.dd}'
);

EXECUTE STATEMENT SET
BEGIN
  INSERT INTO window_stats_kafka SELECT * FROM minute_stats;
  INSERT INTO window_stats_es SELECT * FROM minute_stats;
END;
