package io.hawkeye.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawkeye.jobs.testing.TestServices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.ExceptionUtils;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sink against a real Elasticsearch node ({@link TestServices#elasticsearchUrl()}) from a
 * MiniCluster job with parallelism 2: deterministic ids make re-runs idempotent, documents that
 * violate the strict window-stats mapping are dead-lettered with Elasticsearch's error while the
 * rest land, and an unreachable cluster fails the job once the retry budget is spent.
 */
class ElasticsearchSinkITCase {

    private static final int PARALLELISM = 2;
    private static final long BASE = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();
    /** Password sent as basic auth (ignored by the unsecured node); must never appear in logs. */
    private static final String SECRET = "n0t-in-the-logs-7f3a";

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(PARALLELISM)
                            .build());

    private static ElasticsearchConnectionConfig connection;
    private static ElasticsearchClient client;
    private static final ConcurrentLinkedQueue<String> LOGS = new ConcurrentLinkedQueue<>();
    private static AbstractAppender capture;

    @BeforeAll
    static void setUp() throws Exception {
        connection =
                ElasticsearchConnectionConfig.builder()
                        .hosts(TestServices.elasticsearchUrl())
                        .basicAuth("hawkeye", SECRET)
                        .build();
        client = ElasticsearchClientFactory.createClient(connection);
        assertThat(IndexTemplates.install(client, templatesDir()))
                .contains("hawkeye-window-stats", "hawkeye-metric-stats");
        captureLogs();
    }

    @AfterAll
    static void tearDown() throws Exception {
        client.close();
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        for (String name : List.of("io.hawkeye", "org.elasticsearch.client", "co.elastic.clients")) {
            ctx.getConfiguration().removeLogger(name);
        }
        ctx.updateLoggers();
        capture.stop();
    }

    @Test
    void writesEveryDocumentOnceAndReRunsAreIdempotent(TestInfo info) throws Exception {
        String index = freshIndex(info);
        int n = 1_000;

        runJob(n, index, -1, new LoggingFailedDocumentHandler());
        assertThat(count(index)).isEqualTo(n);

        runJob(n, index, -1, new LoggingFailedDocumentHandler());
        assertThat(count(index)).as("same ids again: overwritten, not duplicated").isEqualTo(n);

        ObjectNode doc = client.get(g -> g.index(index).id(WindowStatsDocs.id(7)), ObjectNode.class).source();
        assertThat(doc.toString()).isEqualTo(WindowStatsDocs.json(7, false));
        assertThat(LOGS).anyMatch(line -> line.contains("connecting to") && line.contains("password=******"));
        assertThat(LOGS).noneMatch(line -> line.contains(SECRET));
    }

    @Test
    void documentViolatingTheMappingIsDeadLetteredAndTheRestLands(TestInfo info) throws Exception {
        String index = freshIndex(info);
        int n = 300;
        long bad = 137;
        CollectingFailedDocumentHandler handler = new CollectingFailedDocumentHandler(index);

        runJob(n, index, bad, handler);

        assertThat(count(index)).isEqualTo(n - 1);
        List<FailedDocument> failed = handler.documents();
        assertThat(failed).hasSize(1);
        FailedDocument doc = failed.get(0);
        assertThat(doc.index()).isEqualTo(index);
        assertThat(doc.id()).isEqualTo(WindowStatsDocs.id(bad));
        assertThat(doc.status()).isEqualTo(400);
        assertThat(doc.errorType()).isEqualTo("document_parsing_exception");
        assertThat(doc.errorReason()).contains("[count]");
        assertThat(doc.sourceAsString()).isEqualTo(WindowStatsDocs.json(bad, true));
        assertThat(client.exists(e -> e.index(index).id(WindowStatsDocs.id(bad))).value()).isFalse();
    }

    @Test
    void updateUpsertMergesIntoExistingDocuments(TestInfo info) throws Exception {
        String index = freshIndex(info);
        runJob(50, index, -1, new LoggingFailedDocumentHandler());

        StreamExecutionEnvironment env = environment();
        env.fromData(LongStream.range(0, 60).boxed().collect(Collectors.toList()))
                .sinkTo(
                        ElasticsearchSink.<Long>builder()
                                .setConnectionConfig(connection)
                                .setWriteAction(WriteAction.UPDATE_UPSERT)
                                .setDocumentFunction(
                                        i ->
                                                ElasticsearchDocument.of(
                                                        index,
                                                        WindowStatsDocs.id(i),
                                                        "{\"errors\":" + (1000 + i) + "}"))
                                .build())
                .name("Elasticsearch upserts");
        env.execute("es-sink-itcase-upsert");

        assertThat(count(index)).isEqualTo(60);
        ObjectNode merged = client.get(g -> g.index(index).id(WindowStatsDocs.id(3)), ObjectNode.class).source();
        assertThat(merged.get("errors").asLong()).isEqualTo(1003);
        assertThat(merged.get("count").asLong()).as("untouched field kept").isEqualTo(WindowStatsDocs.count(3));
        ObjectNode created = client.get(g -> g.index(index).id(WindowStatsDocs.id(55)), ObjectNode.class).source();
        assertThat(created.toString()).isEqualTo("{\"errors\":1055}");
    }

    @Test
    void blockedIndexIsRetriedUntilWritesAreAllowedAgain(TestInfo info) throws Exception {
        String index = freshIndex(info);
        client.indices().create(c -> c.index(index));
        // The flood-stage block answers every bulk item with 429, the "cluster is full" signal.
        setBlock(index, true);
        int retryLogsBefore = retryLogs();
        StreamExecutionEnvironment env = environment();
        env.fromData(LongStream.range(0, 200).boxed().collect(Collectors.toList()))
                .sinkTo(
                        ElasticsearchSink.<Long>builder()
                                .setConnectionConfig(connection)
                                .setDocumentFunction(new WindowStatsDocs(index, -1))
                                .setRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                                .setMaxItemRetries(-1)
                                .build());
        JobClient job = env.executeAsync("es-sink-itcase-blocked");

        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (retryLogs() == retryLogsBefore && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(retryLogs()).as("429 items were retried").isGreaterThan(retryLogsBefore);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);

            setBlock(index, false);
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } finally {
            // unlimited retries never give up on their own: do not leave the job holding slots
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
        assertThat(count(index)).isEqualTo(200);
    }

    @Test
    void unreachableClusterFailsTheJobAfterTheRetryBudget() {
        StreamExecutionEnvironment env = environment();
        env.fromData(1L, 2L, 3L)
                .sinkTo(
                        ElasticsearchSink.<Long>builder()
                                .setConnectionConfig(
                                        ElasticsearchConnectionConfig.builder()
                                                .hosts("http://127.0.0.1:1")
                                                .connectTimeout(Duration.ofMillis(500))
                                                .build())
                                .setDocumentFunction(i -> ElasticsearchDocument.of("unused", "" + i, "{}"))
                                .setRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(50))
                                .setMaxRequestRetries(3)
                                .build());

        assertThatThrownBy(() -> env.execute("es-sink-itcase-unreachable"))
                .satisfies(
                        e ->
                                assertThat(
                                                ExceptionUtils.findThrowable(
                                                        e, ElasticsearchSinkException.class))
                                        .hasValueSatisfying(
                                                s ->
                                                        assertThat(s.getMessage())
                                                                .contains("4 consecutive bulk requests failed")));
    }

    private static void runJob(int n, String index, long badElement, FailedDocumentHandler handler)
            throws Exception {
        StreamExecutionEnvironment env = environment();
        env.fromData(LongStream.range(0, n).boxed().collect(Collectors.toList()))
                .name("Deterministic window stats")
                .sinkTo(
                        ElasticsearchSink.<Long>builder()
                                .setConnectionConfig(connection)
                                .setDocumentFunction(new WindowStatsDocs(index, badElement))
                                // small batches: many bulk requests, several in flight per subtask
                                .setMaxBatchActions(64)
                                .setMaxBufferedRequests(256)
                                .setMaxInFlightRequests(2)
                                .setFailedDocumentHandler(handler)
                                .build())
                .name("Elasticsearch window stats")
                .uid("es-window-stats-sink");
        env.execute("es-sink-itcase");
    }

    private static StreamExecutionEnvironment environment() {
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(PARALLELISM);
        env.enableCheckpointing(200);
        return env;
    }

    private static int retryLogs() {
        return (int) LOGS.stream().filter(l -> l.startsWith("Retrying ")).count();
    }

    private static void setBlock(String index, boolean blocked) throws Exception {
        client.indices()
                .putSettings(
                        s ->
                                s.index(index)
                                        .settings(
                                                t ->
                                                        t.blocks(
                                                                b ->
                                                                        b.readOnlyAllowDelete(blocked))));
    }

    private static long count(String index) throws Exception {
        client.indices().refresh(r -> r.index(index));
        return client.count(c -> c.index(index)).count();
    }

    /** Matches the window-stats template, so the strict mapping applies. */
    private static String freshIndex(TestInfo info) throws Exception {
        String name =
                "hawkeye-window-stats-it-"
                        + info.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT);
        if (client.indices().exists(e -> e.index(name)).value()) {
            client.indices().delete(d -> d.index(name));
        }
        return name;
    }

    private static Path templatesDir() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("deploy/elasticsearch/templates");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("deploy/elasticsearch/templates not found");
    }

    /** Sees every message of the sink, the REST client and the Java client, at DEBUG. */
    private static void captureLogs() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        capture =
                new AbstractAppender("es-itcase-capture", null, null, true, Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        LOGS.add(event.getMessage().getFormattedMessage());
                        if (event.getThrown() != null) {
                            LOGS.add(ExceptionUtils.stringifyException(event.getThrown()));
                        }
                    }
                };
        capture.start();
        for (String name : List.of("io.hawkeye", "org.elasticsearch.client", "co.elastic.clients")) {
            LoggerConfig logger = new LoggerConfig(name, Level.DEBUG, false);
            logger.addAppender(capture, Level.DEBUG, null);
            // addLogger keeps an existing config of the same name (log4j2-test.properties has io.hawkeye).
            ctx.getConfiguration().removeLogger(name);
            ctx.getConfiguration().addLogger(name, logger);
        }
        ctx.updateLoggers();
    }

    /** Deterministic window-stats documents; element {@code bad} gets a string in a long field. */
    static final class WindowStatsDocs implements DocumentFunction<Long> {
        private static final long serialVersionUID = 1L;
        private final String index;
        private final long bad;

        WindowStatsDocs(String index, long bad) {
            this.index = index;
            this.bad = bad;
        }

        @Override
        public ElasticsearchDocument toDocument(Long i) {
            return ElasticsearchDocument.of(index, id(i), json(i, i == bad));
        }

        static String seriesId(long i) {
            return "svc-" + (i % 7) + "|/ep-" + (i % 5);
        }

        static long windowStart(long i) {
            return BASE + (i / 35) * 60_000;
        }

        static String id(long i) {
            return seriesId(i) + "@" + windowStart(i);
        }

        static long count(long i) {
            return 100 + i;
        }

        static String json(long i, boolean bad) {
            return "{\"series_id\":\"" + seriesId(i) + "\",\"scope\":\"endpoint\",\"service\":\"svc-"
                    + (i % 7) + "\",\"endpoint\":\"/ep-" + (i % 5) + "\",\"window_start\":"
                    + windowStart(i) + ",\"window_end\":" + (windowStart(i) + 60_000)
                    + ",\"count\":" + (bad ? "\"lots\"" : String.valueOf(count(i)))
                    + ",\"errors\":" + (i % 3) + ",\"p99_ms\":" + (10.0 + i % 13) + "}";
        }
    }
}
