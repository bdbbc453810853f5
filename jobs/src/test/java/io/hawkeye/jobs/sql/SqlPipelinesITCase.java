package io.hawkeye.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.jobs.elasticsearch.ElasticsearchClientFactory;
import io.hawkeye.jobs.elasticsearch.ElasticsearchConnectionConfig;
import io.hawkeye.jobs.elasticsearch.IndexTemplates;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import io.hawkeye.sketch.Sketches;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every script in sql/ on a MiniCluster (parallelism 2) against the real Kafka broker and Elasticsearch node, with
 * bounded Kafka reads: per-minute counts and errors must equal exact counts, percentiles must be within 1% of exact
 * quantiles; the rollup and SLO scripts read the window-stats output.
 */
class SqlPipelinesITCase {
    private static final long BASE = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double SLO_MS = 60;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestJobs.miniCluster();

    record Span(long ts, String service, String endpoint, double duration, boolean error) {}

    private static final List<Span> SPANS = new ArrayList<>();
    private static Map<String, String> vars;

    @BeforeAll
    static void produce() throws Exception {
        String suffix = Long.toString(System.nanoTime());
        vars = new HashMap<>();
        vars.put("KAFKA_BOOTSTRAP", TestServices.kafkaBootstrap());
        vars.put("ES_HOSTS", TestServices.elasticsearchUrl());
        vars.put("TELEMETRY_TOPIC", "sql-telemetry-" + suffix);
        vars.put("WINDOW_STATS_TOPIC", "sql-window-stats-" + suffix);
        vars.put("HOURLY_TOPIC", "sql-hourly-" + suffix);
        vars.put("SLO_TOPIC", "sql-slo-" + suffix);
        vars.put("ES_INDEX_PREFIX", "hawkeye-sql-window-stats-it" + suffix);
        vars.put("SCAN_BOUNDED_MODE", "latest-offset");
        vars.put("SLO_P99_MS", Double.toString(SLO_MS));
        for (String t : List.of("TELEMETRY_TOPIC", "WINDOW_STATS_TOPIC", "HOURLY_TOPIC", "SLO_TOPIC")) {
            TestServices.createTopic(vars.get(t), 2);
        }
        try (ElasticsearchClient es = ElasticsearchClientFactory.createClient(
                ElasticsearchConnectionConfig.builder().hosts(TestServices.elasticsearchUrl()).build())) {
            IndexTemplates.install(es, repo().resolve("deploy/elasticsearch/templates/hawkeye-sql-window-stats.json"));
        }
        Random rnd = new Random(42);
        String[] services = {"cart", "checkout", "search"};
        String[] endpoints = {"GET /a", "POST /b"};
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            String topic = vars.get("TELEMETRY_TOPIC");
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 4000; i++) {
                long ts = BASE + rnd.nextInt(5 * 60_000);
                int s = rnd.nextInt(3);
                String service = services[s];
                String endpoint = endpoints[rnd.nextInt(2)];
                double duration = Math.round(Math.exp(3 + 0.4 * s + 0.6 * rnd.nextGaussian()) * 1000) / 1000.0;
                int r = rnd.nextInt(100);
                String status = r < 2 ? "\"error\"" : r < 5 ? "503" : r < 10 ? "404" : r < 50 ? "\"ok\"" : "\"200\"";
                SPANS.add(new Span(ts, service, endpoint, duration, r < 5));
                lines.add(String.format(java.util.Locale.ROOT,
                        "{\"type\":\"span\",\"ts\":%d,\"service\":\"%s\",\"endpoint\":\"%s\",\"duration_ms\":%s,"
                                + "\"status\":%s,\"instance\":\"i-1\"}", ts, service, endpoint, duration, status));
            }
            // In event-time order: window TVFs drop events behind the watermark (5 s out-of-orderness) silently.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < SPANS.size(); i++) order.add(i);
            order.sort(java.util.Comparator.comparingLong(i -> SPANS.get(i).ts()));
            for (int i : order) producer.send(new ProducerRecord<>(topic, SPANS.get(i).service(), lines.get(i)));
            // Skipped: not JSON, a metric sample, a span without service.
            producer.send(new ProducerRecord<>(topic, "x", "hello world"));
            producer.send(new ProducerRecord<>(topic, "x", "{\"type\":\"metric\",\"ts\":" + BASE
                    + ",\"service\":\"cart\",\"instance\":\"i\",\"name\":\"cpu\",\"value\":0.5}"));
            producer.send(new ProducerRecord<>(topic, "x", "{\"type\":\"span\",\"ts\":" + BASE
                    + ",\"endpoint\":\"e\",\"duration_ms\":3,\"status\":\"ok\"}"));
        }
    }

    static Path repo() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("sql"))) return dir;
        }
        throw new IllegalStateException("sql/ not found");
    }

    static void runScript(String name) throws Exception {
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(StreamExecutionEnvironment.getExecutionEnvironment());
        for (TableResult r : SqlRunner.run(tEnv, Files.readString(repo().resolve("sql").resolve(name)), vars)) {
            r.await();
        }
    }

    static List<JsonNode> readAll(String topic) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServices.kafkaBootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
            List<TopicPartition> parts = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) out.add(JSON.readTree(r.value()));
            }
        }
        return out;
    }

    static double exact(List<Double> values, double q) {
        double[] s = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s[(int) Math.floor(q * (s.length - 1))];
    }

    static void assertWithin(double actual, double exact) {
        assertThat(Math.abs(actual - exact)).as("%s vs exact %s", actual, exact).isLessThanOrEqualTo(0.01 * exact + 1e-9);
    }

    @Test
    void scriptsProduceExactCountsAndBoundedPercentiles() throws Exception {
        runScript("functions.sql"); // the init script on its own: registers only, as the SQL client's -i file
        runScript("window-stats.sql");

        Map<String, List<Span>> byWindow = new TreeMap<>();
        for (Span s : SPANS) {
            long start = s.ts - Math.floorMod(s.ts, 60_000);
            byWindow.computeIfAbsent(s.service + "|" + s.endpoint + "|" + start, k -> new ArrayList<>()).add(s);
        }
        List<JsonNode> stats = readAll(vars.get("WINDOW_STATS_TOPIC"));
        assertThat(stats).hasSize(byWindow.size());
        for (JsonNode w : stats) {
            long start = Instant.parse(w.get("window_start").asText() + "Z").toEpochMilli();
            List<Span> in = byWindow.get(w.get("service").asText() + "|" + w.get("endpoint").asText() + "|" + start);
            assertThat(in).as("window %s", w).isNotNull();
            List<Double> d = in.stream().map(Span::duration).toList();
            assertThat(w.get("count").asLong()).isEqualTo(in.size());
            assertThat(w.get("errors").asLong()).as("errors of %s, %d spans", w, in.size()).isEqualTo(in.stream().filter(Span::error).count());
            assertThat(w.get("rps").asDouble()).isEqualTo(in.size() / 60.0);
            assertWithin(w.get("p50_ms").asDouble(), exact(d, 0.5));
            assertWithin(w.get("p95_ms").asDouble(), exact(d, 0.95));
            assertWithin(w.get("p99_ms").asDouble(), exact(d, 0.99));
            byte[] sketch = Base64.getDecoder().decode(w.get("sketch").asText());
            assertThat(Sketches.fromBytes(sketch).getCount()).isEqualTo(in.size());
        }

        try (ElasticsearchClient es = ElasticsearchClientFactory.createClient(
                ElasticsearchConnectionConfig.builder().hosts(TestServices.elasticsearchUrl()).build())) {
            String index = vars.get("ES_INDEX_PREFIX") + "-2026.01.01";
            es.indices().refresh(r -> r.index(index));
            assertThat(es.count(c -> c.index(index)).count()).isEqualTo(byWindow.size());
            String id = byWindow.keySet().iterator().next();
            var doc = es.get(g -> g.index(index).id(id), JsonNode.class);
            assertThat(doc.found()).as("document %s", id).isTrue();
            assertThat(doc.source().get("count").asLong()).isEqualTo(byWindow.get(id).size());
        }

        runScript("rollup.sql");
        List<JsonNode> hourly = readAll(vars.get("HOURLY_TOPIC"));
        assertThat(hourly).hasSize(3);
        for (JsonNode h : hourly) {
            List<Double> d = SPANS.stream().filter(s -> s.service.equals(h.get("service").asText()))
                    .map(Span::duration).toList();
            assertThat(h.get("count").asLong()).isEqualTo(d.size());
            assertWithin(h.get("p99_ms").asDouble(), exact(d, 0.99));
            assertWithin(h.get("p50_ms").asDouble(), exact(d, 0.5));
        }

        runScript("slo.sql");
        List<JsonNode> slo = readAll(vars.get("SLO_TOPIC"));
        assertThat(slo).hasSize(3);
        for (JsonNode r : slo) {
            String service = r.get("service").asText();
            assertThat(r.get("minutes").asLong()).isEqualTo(5);
            long breached = 0, ambiguous = 0;
            for (int m = 0; m < 5; m++) {
                long start = BASE + m * 60_000L;
                List<Double> d = SPANS.stream().filter(s -> s.service.equals(service))
                        .filter(s -> s.ts >= start && s.ts < start + 60_000).map(Span::duration).toList();
                double p99 = exact(d, 0.99);
                if (Math.abs(p99 - SLO_MS) <= 0.01 * p99) ambiguous++;
                else if (p99 > SLO_MS) breached++;
            }
            assertThat(r.get("breached_minutes").asLong()).isBetween(breached, breached + ambiguous);
            assertThat(r.get("breached_share").asDouble())
                    .isEqualTo(r.get("breached_minutes").asLong() / 5.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
