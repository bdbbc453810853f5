package io.hawkeye.jobs.testing;

import io.hawkeye.local.ElasticsearchNode;
import io.hawkeye.local.MavenResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

/**
 * Real services for integration tests ({@code *ITCase}), started at most once per test JVM, lazily and
 * thread-safely, and stopped by a JVM shutdown hook. Each test should use its own topics and indices.
 *
 * <ul>
 *   <li>Kafka: an in-JVM combined KRaft node from {@code KafkaClusterTestKit} (starts in 1–4 s). Its files
 *       live in {@code target/test-kafka/<jvm pid>}.
 *   <li>Elasticsearch: a real 8.19 node ({@link ElasticsearchNode}, security disabled, ~12 s to start). Its
 *       distribution is unpacked by the build into {@code target/elasticsearch} (property
 *       {@code hawkeye.es.home}, set by failsafe); when a test runs outside Maven (IDE) it is resolved with the
 *       Maven Wrapper into {@code target/es-cache}. Node files live in {@code target/test-es/<jvm pid>}.
 * </ul>
 */
public final class TestServices {

    private static final Object LOCK = new Object();
    private static final Service<KafkaClusterTestKit> KAFKA = new Service<>("Kafka broker", TestServices::startKafka);
    private static final Service<ElasticsearchNode> ELASTICSEARCH =
            new Service<>("Elasticsearch node", TestServices::startElasticsearch);
    private static Path kafkaDir;
    private static boolean hookInstalled;

    private TestServices() {}

    /**
     * A service started once per JVM, lazily and thread-safely (under {@link #LOCK}); a start that failed is
     * remembered and its failure thrown again at once, so that not every test pays a broken start again.
     */
    private static final class Service<T> {
        private final String name;
        private final Callable<T> start;
        private T running;
        private RuntimeException failure;

        Service(String name, Callable<T> start) {
            this.name = name;
            this.start = start;
        }

        T get() {
            synchronized (LOCK) {
                if (failure != null) {
                    throw failure;
                }
                if (running == null) {
                    try {
                        running = start.call();
                        installShutdownHook();
                    } catch (Exception e) {
                        failure = new IllegalStateException("Could not start the test " + name, e);
                        throw failure;
                    }
                }
                return running;
            }
        }

        /** The running service, now forgotten (to be stopped), or null; call under {@link #LOCK}. */
        T take() {
            T t = running;
            running = null;
            return t;
        }
    }

    /** Starts (once per JVM, lazily, thread-safe) a real Kafka broker in this JVM and returns its bootstrap servers. */
    public static String kafkaBootstrap() {
        return KAFKA.get().bootstrapServers();
    }

    /** Starts (once per JVM, lazily) a real Elasticsearch 8.19 node and returns e.g. "http://127.0.0.1:PORT". */
    public static String elasticsearchUrl() {
        return ELASTICSEARCH.get().url();
    }

    /** The process id of the Elasticsearch node of {@link #elasticsearchUrl()} (started if need be): to freeze it. */
    public static long elasticsearchPid() {
        return ELASTICSEARCH.get().pid();
    }

    /** Creates a topic with the given partitions on the test broker (idempotent). */
    public static void createTopic(String name, int partitions) {
        String bootstrap = kafkaBootstrap();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Timed out creating topic " + name, e);
        }
    }

    private static KafkaClusterTestKit startKafka() throws Exception {
        // The broker halts the JVM (Exit.halt(1)) when all its log directories fail. Kafka's default test
        // directory is deleted by a shutdown hook of its own that races ours, which closes the broker: when the
        // deletion wins, the fork exits with 1 after every test passed and the build fails. So the broker's
        // files live under target/ (deleted by our hook, after the broker stopped), and a halt or exit asked
        // for by the broker is reported instead of killing the test JVM.
        Exit.setHaltProcedure((code, message) -> System.err.printf(
                "TestServices: the Kafka broker asked to halt the JVM (status %d: %s); ignored%n", code, message));
        Exit.setExitProcedure((code, message) -> System.err.printf(
                "TestServices: the Kafka broker asked to exit the JVM (status %d: %s); ignored%n", code, message));
        Path testKafka = testDir().resolve("test-kafka");
        reapStaleDirs(testKafka, dir -> {});
        kafkaDir = testKafka.resolve(Long.toString(ProcessHandle.current().pid()));
        deleteRecursively(kafkaDir);
        Files.createDirectories(kafkaDir);
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                        .setBaseDirectory(kafkaDir)
                        .setCombined(true)
                        .setNumBrokerNodes(1)
                        .setNumControllerNodes(1)
                        .build())
                // One broker: internal topics cannot have more replicas than that.
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                // Consumers get partitions immediately instead of after the 3 s default delay.
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                // Same cap as the local stack: Flink's EXACTLY_ONCE sink must set transaction.timeout.ms <= 15 min.
                .setConfigProp("transaction.max.timeout.ms", "900000")
                .build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    private static Path testDir() {
        return Path.of(System.getProperty("hawkeye.test.dir", "target")).toAbsolutePath().normalize();
    }

    private static ElasticsearchNode startElasticsearch() throws IOException {
        Path target = testDir();
        Path testEs = target.resolve("test-es");
        reapStaleDirs(testEs, dir -> ElasticsearchNode.recordedPid(dir).ifPresent(pid -> ElasticsearchNode.stop(pid, dir)));
        Path workDir = testEs.resolve(Long.toString(ProcessHandle.current().pid()));
        deleteRecursively(workDir);
        return ElasticsearchNode.start(new ElasticsearchNode.Options(elasticsearchHome(target), workDir)
                .startTimeout(Duration.ofMinutes(3)));
    }

    private static Path elasticsearchHome(Path target) throws IOException {
        String prop = System.getProperty("hawkeye.es.home");
        if (prop != null && MavenResolver.isElasticsearchHome(Path.of(prop))) {
            return Path.of(prop);
        }
        Path built = target.resolve("elasticsearch/elasticsearch-" + MavenResolver.ES_VERSION);
        if (MavenResolver.isElasticsearchHome(built)) {
            return built;
        }
        Path repo = MavenResolver.findRepoRoot(target).orElseThrow(() -> new IOException(
                "No Elasticsearch distribution (run './mvnw verify' or set -Dhawkeye.es.home) and no checkout to resolve one"));
        return new MavenResolver(repo).elasticsearchHome(target.resolve("es-cache"));
    }

    /**
     * Cleans the per-JVM directories ({@code <parent>/<pid>}) of test JVMs that died without running their
     * shutdown hook (kill -9, a crashed fork), after {@code beforeDelete} (which kills a node left running:
     * otherwise each such run would leak a 750 MB Elasticsearch process).
     */
    private static void reapStaleDirs(Path parent, Consumer<Path> beforeDelete) throws IOException {
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(parent)) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                Optional<Long> ownerPid = parsePid(dir.getFileName().toString());
                boolean ownerAlive = ownerPid.flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
                if (!ownerAlive) {
                    beforeDelete.accept(dir);
                    deleteRecursively(dir);
                }
            }
        }
    }

    private static Optional<Long> parsePid(String s) {
        try {
            return Optional.of(Long.parseLong(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void installShutdownHook() {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        Runtime.getRuntime().addShutdownHook(new Thread(TestServices::stopAll, "test-services-shutdown"));
    }

    private static void stopAll() {
        synchronized (LOCK) {
            // In parallel and with a short grace: the fork must exit within failsafe's exit timeout, and the
            // data of these nodes is thrown away anyway.
            Thread esStop = null;
            ElasticsearchNode node = ELASTICSEARCH.take();
            if (node != null) {
                esStop = new Thread(() -> node.stop(Duration.ofSeconds(10)), "test-es-stop");
                esStop.start();
            }
            KafkaClusterTestKit kafka = KAFKA.take();
            if (kafka != null) {
                try {
                    kafka.close();
                } catch (Exception e) {
                    // JVM is exiting; nothing more useful to do
                }
                try {
                    deleteRecursively(kafkaDir);
                } catch (IOException | RuntimeException e) {
                    // the next test JVM reaps what is left
                }
            }
            if (esStop != null) {
                try {
                    esStop.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
