package io.hawkeye.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.local.LocalStack;
import io.hawkeye.local.MavenResolver;
import io.hawkeye.local.Processes;
import io.hawkeye.local.StackState;
import io.hawkeye.local.TopicSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The whole life of a local stack on real processes: up → Kafka and Elasticsearch usable → status → up again
 * reuses → down → no process left behind.
 */
class LocalStackITCase {

    private static final Path STATE_DIR = Path.of(System.getProperty("hawkeye.test.dir", "target"), "it-local-stack")
            .toAbsolutePath();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalStack stack;

    @AfterAll
    static void cleanup() throws Exception {
        if (stack != null) {
            stack.down(); // only matters when an assertion failed half-way
        }
    }

    @Test
    void upUseReuseDown() throws Exception {
        MavenResolver.deleteRecursively(STATE_DIR);
        Path templates = Files.createDirectories(STATE_DIR.resolve("templates"));
        Files.writeString(templates.resolve("hawkeye-it.json"), """
                {"index_patterns": ["it-tmpl-*"],
                 "template": {"settings": {"number_of_shards": 1, "number_of_replicas": 0},
                              "mappings": {"properties": {"service": {"type": "keyword"}}}}}
                """);
        Path repo = MavenResolver.findRepoRoot(Path.of("")).orElseThrow();
        stack = new LocalStack(STATE_DIR, repo).preferDefaultPorts(false).templatesDir(templates);
        String esHome = System.getProperty("hawkeye.es.home");
        if (esHome != null && MavenResolver.isElasticsearchHome(Path.of(esHome))) {
            stack.elasticsearchHome(Path.of(esHome)); // already unpacked by the build: skip a second unpack
        }

        long t0 = System.nanoTime();
        LocalStack.UpResult up = stack.up(List.of(TopicSpec.of("it.events", 2),
                TopicSpec.parse("it.compacted 1 cleanup.policy=compact")));
        System.out.printf("LocalStack up (first, incl. artifact resolution) took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(up.startedByThisCall()).isTrue();
        String bootstrap = up.endpoints().kafkaBootstrap();
        String es = up.endpoints().elasticsearchUrl();
        assertThat(bootstrap).startsWith("127.0.0.1:");
        assertThat(es).startsWith("http://127.0.0.1:");

        // Kafka: topics as specified, and a record makes the round trip.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.describeTopics(List.of("it.events")).allTopicNames().get().get("it.events").partitions()).hasSize(2);
            ConfigResource compacted = new ConfigResource(ConfigResource.Type.TOPIC, "it.compacted");
            assertThat(admin.describeConfigs(List.of(compacted)).all().get().get(compacted).get("cleanup.policy").value())
                    .isEqualTo("compact");
        }
        assertThat(roundTrip(bootstrap, "it.events", "k1", "hello")).isEqualTo("hello");

        // Elasticsearch: template installed, a document is indexed and found.
        assertThat(http("GET", es + "/_index_template/hawkeye-it", null).statusCode()).isEqualTo(200);
        assertThat(http("PUT", es + "/it-tmpl-1/_doc/1?refresh=true", "{\"service\":\"checkout\",\"latency_ms\":42}")
                .statusCode()).isEqualTo(201);
        HttpResponse<String> search = http("POST", es + "/it-tmpl-1/_search",
                "{\"query\":{\"term\":{\"service\":\"checkout\"}}}");
        assertThat(search.statusCode()).isEqualTo(200);
        assertThat(search.body()).contains("\"total\":{\"value\":1");

        // status: API and CLI agree on the endpoints.
        LocalStack.Status status = stack.status();
        assertThat(status.running()).isTrue();
        assertThat(status.endpoints()).contains(up.endpoints());
        StringWriter out = new StringWriter();
        int rc = new CommandLine(new StackCommand()).setOut(new PrintWriter(out))
                .execute("--home", STATE_DIR.toString(), "status");
        assertThat(rc).isZero();
        assertThat(out.toString().lines()).containsExactly("KAFKA=" + bootstrap, "ELASTICSEARCH=" + es);

        // up again: the same processes are reused.
        StackState before = StackState.read(stack.stateFile()).orElseThrow();
        t0 = System.nanoTime();
        LocalStack.UpResult again = stack.up(List.of(TopicSpec.of("it.events", 2)));
        System.out.printf("LocalStack up (reuse) took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(again.startedByThisCall()).isFalse();
        assertThat(again.endpoints()).isEqualTo(up.endpoints());
        StackState after = StackState.read(stack.stateFile()).orElseThrow();
        assertThat(after.kafkaPid()).isEqualTo(before.kafkaPid());
        assertThat(after.elasticsearchPid()).isEqualTo(before.elasticsearchPid());

        // down: both process trees are gone, and nothing else runs from the state directory.
        List<ProcessHandle> trees = new java.util.ArrayList<>();
        for (long pid : new long[] {before.kafkaPid(), before.elasticsearchPid()}) {
            ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
            trees.add(h);
            h.descendants().forEach(trees::add);
        }
        t0 = System.nanoTime();
        assertThat(stack.down()).isTrue();
        System.out.printf("LocalStack down took %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(trees).noneMatch(ProcessHandle::isAlive);
        assertThat(ProcessHandle.allProcesses()
                .filter(p -> Processes.commandLine(p).contains(STATE_DIR.toString()))
                .map(Processes::commandLine)).isEmpty();
        assertThat(stack.status().running()).isFalse();
        assertThat(stack.down()).isFalse();

        out = new StringWriter();
        rc = new CommandLine(new StackCommand()).setOut(new PrintWriter(out)).execute("--home", STATE_DIR.toString(), "status");
        assertThat(rc).isNotZero();
        assertThat(out.toString()).contains("STOPPED");
    }

    static String roundTrip(String bootstrap, String topic, String key, String value) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(r.key())) {
                        return r.value();
                    }
                }
            }
        }
        return null;
    }

    static HttpResponse<String> http(String method, String url, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
