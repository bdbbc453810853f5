package io.hawkeye.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import io.hawkeye.sketch.Sketches;
import io.hawkeye.stats.WindowStats;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same generated spans in one real Kafka topic, read by the DataStream job ({@code hawkeye.window-stats},
 * capability window-stats) and by {@code sql/window-stats.sql}: every (service, endpoint, minute) window exists in
 * both with the same count and error count, the same number of values in the sketch, and p50/p95/p99 within the
 * sketches' bound (each within 1% of the exact quantile, so within 2% of each other; both are also checked against
 * the exact quantile). The sketches are the same DDSketch, so their quantiles agree exactly in practice.
 */
class SqlVsDataStreamITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    // Five days ago: within the broker's retention; window statistics of this day go to Kafka only (the DataStream
    // job runs without Elasticsearch here, the SQL script writes to its own index prefix).
    static final long START = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(5))
            .plus(Duration.ofHours(9)).toEpochMilli();
    static final ObjectMapper JSON = new ObjectMapper();

    record Span(long ts, String service, String endpoint, double duration, boolean error) {}

    @Test
    void sqlWindowStatsEqualTheDataStreamJobs() throws Exception {
        String suffix = Long.toString(System.nanoTime());
        String bootstrap = TestServices.kafkaBootstrap();
        String telemetry = "sql-vs-ds-telemetry-" + suffix;
        String dsStats = "sql-vs-ds-window-stats-" + suffix;
        String sqlStats = "sql-vs-ds-sql-window-stats-" + suffix;
        TestServices.createTopic(telemetry, 2);
        TestServices.createTopic(dsStats, 2);
        TestServices.createTopic(sqlStats, 2);

        // 4 minutes of spans, 3 services x 2 endpoints, errors as "error" and as 5xx; in event-time order (the SQL
        // script drops events behind its 5 s watermark, the job has its own lateness rules: not compared here).
        Random rnd = new Random(11);
        String[] services = {"cart", "checkout", "search"};
        String[] endpoints = {"GET /a", "POST /b"};
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            int s = rnd.nextInt(3);
            int r = rnd.nextInt(100);
            spans.add(new Span(START + (long) i * 80 + rnd.nextInt(40), services[s], endpoints[rnd.nextInt(2)],
                    Math.round(Math.exp(3 + 0.4 * s + 0.7 * rnd.nextGaussian()) * 1000) / 1000.0, r < 6));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            Span sp = spans.get(i);
            String status = !sp.error() ? "\"ok\"" : i % 2 == 0 ? "\"error\"" : "503";
            lines.add(String.format(Locale.ROOT, "{\"type\":\"span\",\"ts\":%d,\"service\":\"%s\",\"endpoint\":\"%s\","
                    + "\"duration_ms\":%s,\"status\":%s,\"instance\":\"i-%d\",\"trace_id\":\"t%d\",\"span_id\":\"s%d\"}",
                    sp.ts(), sp.service(), sp.endpoint(), sp.duration(), status, i % 3, i, i));
        }
        KafkaTestUtil.produce(bootstrap, telemetry, lines);

        // The DataStream job, bounded.
        Map<String, String> options = TestJobs.boundedJobOptions(bootstrap, "window-stats");
        options.put(HawkeyeOptions.TOPIC_TELEMETRY.key(), telemetry);
        options.put(HawkeyeOptions.TOPIC_WINDOW_STATS.key(), dsStats);
        options.put(HawkeyeOptions.TOPIC_METRIC_STATS.key(), "sql-vs-ds-metric-stats-" + suffix);
        options.put(HawkeyeOptions.TOPIC_DLQ.key(), "sql-vs-ds-dlq-" + suffix);
        TestJobs.define(options, Duration.ofSeconds(2)).execute("sql-vs-datastream");

        // The SQL script on the same topic.
        Map<String, String> vars = new HashMap<>();
        vars.put("KAFKA_BOOTSTRAP", bootstrap);
        vars.put("ES_HOSTS", TestServices.elasticsearchUrl());
        vars.put("TELEMETRY_TOPIC", telemetry);
        vars.put("WINDOW_STATS_TOPIC", sqlStats);
        vars.put("ES_INDEX_PREFIX", "hawkeye-sql-vs-ds-it" + suffix);
        vars.put("SCAN_BOUNDED_MODE", "latest-offset");
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(StreamExecutionEnvironment.getExecutionEnvironment());
        String script = Files.readString(SqlPipelinesITCase.repo().resolve("sql/window-stats.sql"));
        for (TableResult r : SqlRunner.run(tEnv, script, vars)) r.await();

        // DataStream: endpoint-scope windows, last revision of each.
        Map<String, WindowStats> ds = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, dsStats)) {
            WindowStats w = WindowStats.fromJson(r.value());
            if (!WindowStats.SCOPE_ENDPOINT.equals(w.scope)) continue;
            ds.merge(w.service + "|" + w.endpoint + "|" + w.windowStart, w, (a, b) -> a.revision >= b.revision ? a : b);
        }
        Map<String, JsonNode> sql = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : KafkaTestUtil.readAll(bootstrap, sqlStats)) {
            JsonNode w = JSON.readTree(r.value());
            long start = Instant.parse(w.get("window_start").asText() + "Z").toEpochMilli();
            assertThat(sql.put(w.get("service").asText() + "|" + w.get("endpoint").asText() + "|" + start, w))
                    .as("one SQL row per window").isNull();
        }
        Map<String, List<Span>> exact = new TreeMap<>();
        for (Span s : spans) {
            exact.computeIfAbsent(s.service() + "|" + s.endpoint() + "|" + (s.ts() - Math.floorMod(s.ts(), 60_000)),
                    k -> new ArrayList<>()).add(s);
        }

        assertThat(ds.keySet()).isEqualTo(exact.keySet());
        assertThat(sql.keySet()).isEqualTo(ds.keySet());
        int identicalQuantiles = 0;
        for (var e : ds.entrySet()) {
            WindowStats d = e.getValue();
            JsonNode s = sql.get(e.getKey());
            List<Span> in = exact.get(e.getKey());
            assertThat(s.get("count").asLong()).as("count %s", e.getKey()).isEqualTo(d.count).isEqualTo(in.size());
            assertThat(s.get("errors").asLong()).as("errors %s", e.getKey()).isEqualTo(d.errors)
                    .isEqualTo(in.stream().filter(Span::error).count());
            DDSketch sqlSketch = Sketches.fromBytes(Base64.getDecoder().decode(s.get("sketch").asText()));
            assertThat((long) sqlSketch.getCount()).isEqualTo(d.count);
            List<Double> values = in.stream().map(Span::duration).toList();
            double[][] pairs = {{0.5, s.get("p50_ms").asDouble(), d.p50Ms}, {0.95, s.get("p95_ms").asDouble(), d.p95Ms},
                {0.99, s.get("p99_ms").asDouble(), d.p99Ms}};
            boolean same = true;
            for (double[] p : pairs) {
                double x = SqlPipelinesITCase.exact(values, p[0]);
                assertThat(Math.abs(p[1] - p[2])).as("q%s of %s: SQL %s vs DataStream %s", p[0], e.getKey(), p[1],
                        p[2]).isLessThanOrEqualTo(0.02 * Math.abs(p[2]) + 1e-9);
                SqlPipelinesITCase.assertWithin(p[1], x);
                SqlPipelinesITCase.assertWithin(p[2], x);
                same &= p[1] == p[2];
                // the SQL sketch read back equals the DataStream job's quantile
                assertThat(Math.abs(sqlSketch.getValueAtQuantile(p[0]) - p[2])).isLessThanOrEqualTo(0.02 * p[2]);
            }
            if (same) identicalQuantiles++;
        }
        assertThat(ds).hasSizeGreaterThanOrEqualTo(24); // 6 series x 4 minutes
        System.out.printf("SqlVsDataStreamITCase: %d windows, %d with identical p50/p95/p99%n", ds.size(),
                identicalQuantiles);
    }
}
