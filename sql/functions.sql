-- Hawkeye SQL functions (udfs/, package io.hawkeye.sql). The classes must be on the classpath: the Hawkeye job jar
-- (jobs/target/hawkeye-jobs-*-flink-job.jar) contains them, so start the SQL client with
--   sql-client.sh -j jobs/target/hawkeye-jobs-0.1.0-SNAPSHOT-flink-job.jar -i sql/functions.sql
-- or run "ADD JAR '/path/to/hawkeye-jobs-0.1.0-SNAPSHOT-flink-job.jar';" first. See docs/sql.md.
-- The init script of the other scripts here: Hawkeye's SQL runner (./hawkeye sql, io.hawkeye.jobs.sql.SqlRunner) runs
-- it before each of them, as sql-client.sh -i does (the jobs build copies it into the job jar for that).
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS APPROX_PERCENTILE AS 'io.hawkeye.sql.ApproxPercentile' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS APPROX_PERCENTILES AS 'io.hawkeye.sql.ApproxPercentiles' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS SKETCH AS 'io.hawkeye.sql.Sketch' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS SKETCH_MERGE AS 'io.hawkeye.sql.SketchMerge' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS SKETCH_QUANTILE AS 'io.hawkeye.sql.SketchQuantile' LANGUAGE JAVA;
CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS SKETCH_COUNT AS 'io.hawkeye.sql.SketchCount' LANGUAGE JAVA;
