package io.hawkeye.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The local development stack: one Kafka broker process and one Elasticsearch node, run as daemons that
 * outlive the JVM that started them and are tracked in {@code <stateDir>/stack.json}.
 *
 * <p>State directory ({@code HAWKEYE_HOME}, default {@code ./.hawkeye}):
 * <pre>
 *   stack.json            pids and ports (see {@link StackState})
 *   stack.lock            serialises concurrent up/down
 *   cache/                Kafka classpath + unpacked Elasticsearch distribution (resolved once via ./mvnw)
 *   kafka/                server.properties, data/, logs/server.log
 *   elasticsearch/        config/, data/, logs/, tmp/, es.pid (owned by {@value ElasticsearchNode#ES_USER} when root)
 * </pre>
 *
 * <p>{@link #up} is idempotent: services recorded as alive and answering are reused. Callers that want to
 * clean up only what they started (the {@code demo} command) check {@link UpResult#startedByThisCall()}.
 */
public final class LocalStack {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_ES_HTTP_PORT = 9200;
    public static final int DEFAULT_ES_TRANSPORT_PORT = 9300;

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    /** Addresses of a running stack. */
    public record Endpoints(String kafkaBootstrap, String elasticsearchUrl) {}

    /** Result of {@link #up}: where the stack is, and whether this call started (any part of) it. */
    public record UpResult(Endpoints endpoints, boolean startedByThisCall) {}

    /** What {@link #status()} found; endpoints are present only when both services run and answer. */
    public record Status(boolean kafkaRunning, boolean elasticsearchRunning, StackState state) {
        public boolean running() {
            return kafkaRunning && elasticsearchRunning;
        }

        public Optional<Endpoints> endpoints() {
            return running() ? Optional.of(new Endpoints(state.kafkaBootstrap(), state.elasticsearchUrl())) : Optional.empty();
        }
    }

    private final Path stateDir;
    private final Path repoRoot;
    private Path elasticsearchHome;
    private Path templatesDir;
    private boolean preferDefaultPorts = true;

    public LocalStack(Path stateDir, Path repoRoot) {
        this.stateDir = stateDir.toAbsolutePath().normalize();
        this.repoRoot = repoRoot.toAbsolutePath().normalize();
    }

    /**
     * The stack of the current checkout: state in {@code HAWKEYE_HOME} or {@code ./.hawkeye}, artifacts
     * resolved with the checkout found at or above the working directory (or {@code HAWKEYE_REPO}).
     */
    public static LocalStack fromEnvironment() {
        Path cwd = Path.of("").toAbsolutePath();
        String home = System.getenv("HAWKEYE_HOME");
        Path stateDir = home != null && !home.isBlank() ? Path.of(home) : cwd.resolve(".hawkeye");
        Path repo = MavenResolver.findRepoRoot(cwd).orElseThrow(() -> new IllegalStateException(
                "Cannot find the Hawkeye checkout (mvnw + deploy/local/pom.xml) at or above " + cwd
                        + "; run from the checkout or set HAWKEYE_REPO"));
        return new LocalStack(stateDir, repo);
    }

    /** Uses an already unpacked Elasticsearch distribution instead of resolving one into the cache. */
    public LocalStack elasticsearchHome(Path home) {
        this.elasticsearchHome = home;
        return this;
    }

    /**
     * Whether {@code up} first tries 9092/9200/9300 (when free). Tests turn this off so they never take the
     * ports a developer's own stack would use.
     */
    public LocalStack preferDefaultPorts(boolean prefer) {
        this.preferDefaultPorts = prefer;
        return this;
    }

    public Path stateDir() {
        return stateDir;
    }

    public Path repoRoot() {
        return repoRoot;
    }

    /** {@code deploy/topics.txt} of the checkout. */
    public Path topicsFile() {
        return repoRoot.resolve("deploy/topics.txt");
    }

    /** {@code deploy/elasticsearch/templates} of the checkout: {@code NAME.json} → {@code PUT _index_template/NAME}. */
    public Path templatesDir() {
        return templatesDir != null ? templatesDir : repoRoot.resolve("deploy/elasticsearch/templates");
    }

    /** Installs index templates from {@code dir} instead of the checkout's (tests, custom deployments). */
    public LocalStack templatesDir(Path dir) {
        this.templatesDir = dir;
        return this;
    }

    /** {@link #up(List)} with the topics of {@link #topicsFile()}. */
    public UpResult up() throws IOException {
        return up(TopicSpec.readFile(topicsFile()));
    }

    /**
     * Ensures Kafka and Elasticsearch run (starting what is not running), creates {@code topics} (existing
     * ones are left as they are) and installs the index templates of {@link #templatesDir()}.
     */
    public UpResult up(List<TopicSpec> topics) throws IOException {
        try (FileLock lock = lock()) {
            StackState state = readState();
            Status status = probe(state);
            boolean started = false;
            boolean kafkaStartedHere = false;
            try {
                if (!status.kafkaRunning()) {
                    // A recorded but unresponsive broker (hung, or a stale pid): clear it before starting anew.
                    KafkaBrokerProcess.stop(state.kafkaPid());
                    String cp = resolver().kafkaClasspath(stateDir.resolve("cache"));
                    int port, controllerPort;
                    if (KafkaBrokerProcess.hasData(stateDir.resolve("kafka"), state.kafkaPort(),
                            state.kafkaControllerPort())) {
                        // The broker's data is formatted for its recorded ports (KRaft pins the controller
                        // endpoint): keep them, never wipe the topics because a port is still held.
                        awaitFree(PORT_WAIT, state.kafkaPort(), state.kafkaControllerPort());
                        port = state.kafkaPort();
                        controllerPort = state.kafkaControllerPort();
                    } else {
                        port = pickPort(state.kafkaPort(), DEFAULT_KAFKA_PORT);
                        controllerPort = pickPort(state.kafkaControllerPort(), 0, port);
                    }
                    KafkaBrokerProcess broker = KafkaBrokerProcess.start(cp, stateDir.resolve("kafka"), port, controllerPort,
                            START_TIMEOUT);
                    state = state.withKafka(broker.pid(), port, controllerPort);
                    state.write(stateFile());
                    started = kafkaStartedHere = true;
                }
                if (!status.elasticsearchRunning()) {
                    ElasticsearchNode.stop(state.elasticsearchPid(), esWorkDir());
                    ElasticsearchNode.recordedPid(esWorkDir()).ifPresent(pid -> ElasticsearchNode.stop(pid, esWorkDir()));
                    Path home = elasticsearchHome != null ? elasticsearchHome
                            : resolver().elasticsearchHome(stateDir.resolve("cache"));
                    int http = pickPort(state.elasticsearchHttpPort(), DEFAULT_ES_HTTP_PORT, state.kafkaPort(),
                            state.kafkaControllerPort());
                    int transport = pickPort(state.elasticsearchTransportPort(), DEFAULT_ES_TRANSPORT_PORT,
                            state.kafkaPort(), state.kafkaControllerPort(), http);
                    ElasticsearchNode node = ElasticsearchNode.start(new ElasticsearchNode.Options(home, esWorkDir())
                            .ports(http, transport).startTimeout(START_TIMEOUT));
                    state = state.withElasticsearch(node.pid(), node.httpPort(), node.transportPort());
                    state.write(stateFile());
                    started = true;
                }
                if (started) {
                    state = state.withStartedAt(Instant.now().toString());
                    state.write(stateFile());
                }
                createTopics(state.kafkaBootstrap(), topics);
                installTemplates(state.elasticsearchUrl(), templatesDir());
            } catch (IOException | RuntimeException e) {
                // Leave nothing half-started behind us: a failed `up` must not leak a broker.
                if (kafkaStartedHere) {
                    KafkaBrokerProcess.stop(state.kafkaPid());
                    state.withKafka(0, state.kafkaPort(), state.kafkaControllerPort()).write(stateFile());
                }
                throw e;
            }
            return new UpResult(new Endpoints(state.kafkaBootstrap(), state.elasticsearchUrl()), started);
        }
    }

    /**
     * Stops both services (process trees, waiting until they are gone). Data, logs and the recorded ports
     * are kept. Returns true if something was running.
     */
    public boolean down() throws IOException {
        try (FileLock lock = lock()) {
            StackState state = readState();
            boolean wasRunning = KafkaBrokerProcess.isAlive(state.kafkaPid())
                    || ElasticsearchNode.isAlive(state.elasticsearchPid(), esWorkDir());
            boolean kafkaGone = KafkaBrokerProcess.stop(state.kafkaPid());
            boolean esGone = ElasticsearchNode.stop(state.elasticsearchPid(), esWorkDir());
            // Also the pid the node itself recorded, in case stack.json was lost or written before a crash.
            Optional<Long> esPid = ElasticsearchNode.recordedPid(esWorkDir());
            if (esPid.isPresent() && ElasticsearchNode.isAlive(esPid.get(), esWorkDir())) {
                wasRunning = true;
                esGone &= ElasticsearchNode.stop(esPid.get(), esWorkDir());
            }
            if (!kafkaGone || !esGone) {
                throw new IOException("Could not stop the local stack (kafka stopped: " + kafkaGone
                        + ", elasticsearch stopped: " + esGone + "); see " + stateFile());
            }
            if (Files.exists(stateFile())) {
                state.withKafka(0, state.kafkaPort(), state.kafkaControllerPort())
                        .withElasticsearch(0, state.elasticsearchHttpPort(), state.elasticsearchTransportPort())
                        .write(stateFile());
            }
            return wasRunning;
        }
    }

    /** Checks the recorded services: alive (pid, command line) and answering (describeCluster, cluster health). */
    public Status status() throws IOException {
        return probe(readState());
    }

    /** Endpoints of a fully running stack, if any. */
    public Optional<Endpoints> endpoints() throws IOException {
        return status().endpoints();
    }

    private Status probe(StackState s) {
        boolean kafka = KafkaBrokerProcess.isAlive(s.kafkaPid()) && KafkaBrokerProcess.isReady(s.kafkaBootstrap(), PROBE_TIMEOUT);
        boolean es = ElasticsearchNode.isAlive(s.elasticsearchPid(), esWorkDir())
                && ElasticsearchNode.isHealthy(s.elasticsearchUrl(), PROBE_TIMEOUT);
        return new Status(kafka, es, s);
    }

    /** Creates missing topics (replication factor 1); existing topics are left unchanged. */
    public static void createTopics(String bootstrap, List<TopicSpec> topics) throws IOException {
        if (topics.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(KafkaBrokerProcess.adminProps(bootstrap, Duration.ofSeconds(30)))) {
            List<NewTopic> newTopics = topics.stream()
                    .map(t -> new NewTopic(t.name(), t.partitions(), (short) 1).configs(t.config()))
                    .collect(Collectors.toList());
            CreateTopicsResult result = admin.createTopics(newTopics);
            for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e : result.values().entrySet()) {
                try {
                    e.getValue().get(60, TimeUnit.SECONDS);
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IOException("Could not create topic " + e.getKey() + ": " + ex.getCause().getMessage(), ex);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while creating topics", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("Timed out creating topics on " + bootstrap, e);
        }
    }

    /**
     * {@code PUT _index_template/NAME} for every {@code NAME.json} in {@code dir} (sorted, so composed
     * templates apply in a stable order). A missing or empty directory is not an error.
     */
    public static void installTemplates(String esUrl, Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().collect(Collectors.toList());
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (Path f : files) {
            String name = f.getFileName().toString().replaceFirst("\\.json$", "");
            HttpRequest req = HttpRequest.newBuilder(URI.create(esUrl + "/_index_template/" + name))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofFile(f))
                    .build();
            try {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() / 100 != 2) {
                    throw new IOException("Index template " + f + " rejected (" + r.statusCode() + "): " + r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while installing index templates", e);
            }
        }
    }

    public Path stateFile() {
        return stateDir.resolve("stack.json");
    }

    private Path esWorkDir() {
        return stateDir.resolve("elasticsearch");
    }

    private StackState readState() throws IOException {
        return StackState.read(stateFile()).orElse(StackState.EMPTY);
    }

    private MavenResolver resolver() {
        return new MavenResolver(repoRoot);
    }

    /** How long {@code up} waits for the recorded Kafka ports (a port lingers briefly after {@code down}). */
    static final Duration PORT_WAIT = Duration.ofSeconds(30);

    /**
     * Waits until every port is free (at most {@link #PORT_WAIT}); then fails naming the port, rather than moving
     * the broker to new ports, which would mean formatting its data again (every topic lost while Elasticsearch
     * keeps its indices, and the two stores disagree).
     */
    static void awaitFree(Duration wait, int... ports) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        for (int p : ports) {
            while (!Processes.isListenable(p)) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("port " + p + " is in use, and the stack's Kafka data is formatted for it"
                            + " (KRaft records its ports); stop whatever holds it and run `stack up` again"
                            + " — the data is kept");
                }
                if (!told) {
                    System.err.println("stack: waiting for port " + p + " (recorded for Kafka's data) to be free...");
                    told = true;
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for port " + p, e);
                }
            }
        }
    }

    /** Recorded port if still free, else the default (if preferred and free), else any free port. */
    private int pickPort(int recorded, int dflt, int... taken) throws IOException {
        List<Integer> avoid = new ArrayList<>();
        for (int t : taken) {
            avoid.add(t);
        }
        List<Integer> candidates = new ArrayList<>();
        if (recorded > 0) {
            candidates.add(recorded);
        }
        if (preferDefaultPorts && dflt > 0) {
            candidates.add(dflt);
        }
        for (int c : candidates) {
            if (!avoid.contains(c) && Processes.isFree(c)) {
                return c;
            }
        }
        for (int i = 0; i < 20; i++) {
            int p = Processes.freePort(0);
            if (!avoid.contains(p)) {
                return p;
            }
        }
        throw new IOException("No free port found");
    }

    /** An exclusive lock on {@code stack.lock}, held for the whole of up/down (cross-process). */
    private FileLock lock() throws IOException {
        Files.createDirectories(stateDir);
        FileChannel ch = FileChannel.open(stateDir.resolve("stack.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            return new ChannelClosingLock(ch, ch.lock());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** A FileLock whose close() also closes its channel, so try-with-resources releases everything. */
    private static final class ChannelClosingLock extends FileLock {
        private final FileLock delegate;

        ChannelClosingLock(FileChannel channel, FileLock delegate) {
            super(channel, delegate.position(), delegate.size(), delegate.isShared());
            this.delegate = delegate;
        }

        @Override
        public boolean isValid() {
            return delegate.isValid();
        }

        @Override
        public void release() throws IOException {
            try {
                delegate.release();
            } finally {
                channel().close();
            }
        }
    }
}
