-- Hourly latency per service from the per-minute sketches of sql/window-stats.sql: SKETCH_MERGE unions the
-- endpoint-minute sketches exactly, so the hourly p50/p99 keep the 1% relative-error guarantee (averaging
-- per-minute percentiles would not). Output: topic HOURLY_TOPIC (JSON).
SET 'table.local-time-zone' = 'UTC';
SET 'pipeline.name' = 'hawkeye-sql-hourly-rollup';
SET 'table.exec.source.idle-timeout' = '1 min';

-- The Hawkeye functions come from the init script sql/functions.sql: the runner runs it before this one;
-- with sql-client.sh pass it as -i sql/functions.sql.

CREATE TEMPORARY TABLE minute_stats (
  service STRING, endpoint STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3),
  `count` BIGINT, errors BIGINT, sketch BYTES,
  WATERMARK FOR window_start AS window_start - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '${WINDOW_STATS_TOPIC:-hawkeye.sql-window-stats}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'properties.group.id' = '${GROUP_ID:-hawkeye-sql-rollup}',
  'scan.startup.mode' = '${SCAN_STARTUP_MODE:-earliest-offset}',
  'scan.bounded.mode' = '${SCAN_BOUNDED_MODE:-unbounded}',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601',
  'json.ignore-parse-errors' = 'true'
);

-- The TVF adds window_start/window_end: rename the input's (its rowtime attribute survives the rename).
CREATE TEMPORARY VIEW minutes AS SELECT window_start AS minute_start, endpoint, service, `count`, errors, sketch FROM minute_stats;

CREATE TEMPORARY TABLE hourly_stats (
  service STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3),
  `count` BIGINT, errors BIGINT, p50_ms DOUBLE, p99_ms DOUBLE, sketch BYTES
) WITH (
  'connector' = 'kafka',
  'topic' = '${HOURLY_TOPIC:-hawkeye.sql-hourly-stats}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

INSERT INTO hourly_stats
SELECT service, window_start, window_end, SUM(`count`), SUM(errors),
       SKETCH_QUANTILE(SKETCH_MERGE(sketch), 0.5), SKETCH_QUANTILE(SKETCH_MERGE(sketch), 0.99), SKETCH_MERGE(sketch)
FROM TABLE(TUMBLE(TABLE minutes, DESCRIPTOR(minute_start), INTERVAL '1' HOUR))
GROUP BY service, window_start, window_end;
