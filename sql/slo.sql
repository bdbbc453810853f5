-- Latency SLO per service: the share of minutes (per hour) whose service-wide p99 exceeds ${SLO_P99_MS} ms.
-- Minute p99 per service = p99 of the merged endpoint sketches (exact union, 1% relative error).
SET 'table.local-time-zone' = 'UTC';
SET 'pipeline.name' = 'hawkeye-sql-slo';
SET 'table.exec.source.idle-timeout' = '1 min';

-- The Hawkeye functions come from the init script sql/functions.sql: the runner runs it before this one;
-- with sql-client.sh pass it as -i sql/functions.sql.

CREATE TEMPORARY TABLE minute_stats (
  service STRING, endpoint STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3),
  `count` BIGINT, sketch BYTES,
  WATERMARK FOR window_start AS window_start - INTERVAL '1' MINUTE
) WITH (
  'connector' = 'kafka',
  'topic' = '${WINDOW_STATS_TOPIC:-hawkeye.sql-window-stats}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'properties.group.id' = '${GROUP_ID:-hawkeye-sql-slo}',
  'scan.startup.mode' = '${SCAN_STARTUP_MODE:-earliest-offset}',
  'scan.bounded.mode' = '${SCAN_BOUNDED_MODE:-unbounded}',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601',
  'json.ignore-parse-errors' = 'true'
);

-- The TVF adds window_start/window_end: rename the input's (its rowtime attribute survives the rename).
CREATE TEMPORARY VIEW minutes AS SELECT window_start AS minute_start, endpoint, service, `count`, sketch FROM minute_stats;

CREATE TEMPORARY VIEW service_minutes AS
-- Only window_time (the minute's rowtime) is kept: the hourly TVF adds its own window_start/window_end.
SELECT service, window_time,
       SKETCH_QUANTILE(SKETCH_MERGE(sketch), 0.99) AS p99_ms
FROM TABLE(TUMBLE(TABLE minutes, DESCRIPTOR(minute_start), INTERVAL '1' MINUTE))
GROUP BY service, window_start, window_end, window_time;

CREATE TEMPORARY TABLE slo_report (
  service STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3),
  minutes BIGINT, breached_minutes BIGINT, breached_share DOUBLE, target_p99_ms DOUBLE
) WITH (
  'connector' = 'kafka',
  'topic' = '${SLO_TOPIC:-hawkeye.sql-slo}',
  'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
  'format' = 'json',
  'json.timestamp-format.standard' = 'ISO-8601'
);

INSERT INTO slo_report
SELECT service, window_start, window_end, COUNT(*),
       CAST(SUM(CASE WHEN p99_ms > ${SLO_P99_MS:-250} THEN 1 ELSE 0 END) AS BIGINT),
       AVG(CASE WHEN p99_ms > ${SLO_P99_MS:-250} THEN 1.0 ELSE 0.0 END),
       CAST(${SLO_P99_MS:-250} AS DOUBLE)
FROM TABLE(TUMBLE(TABLE service_minutes, DESCRIPTOR(window_time), INTERVAL '1' HOUR))
GROUP BY service, window_start, window_end;
