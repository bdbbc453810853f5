package io.hawkeye.benchmarks;

import io.hawkeye.alerts.Alert;
import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.Sources;
import io.hawkeye.jobs.detect.AnomalyScore;
import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.jobs.kafka.KafkaIO;
import io.hawkeye.local.KafkaBrokerProcess;
import io.hawkeye.local.LocalStack;
import io.hawkeye.local.MavenResolver;
import io.hawkeye.local.Processes;
import io.hawkeye.local.TopicSpec;
import io.hawkeye.stats.WindowStats;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * End-to-end throughput of the percentile pipeline, with and without anomaly detection, against a real Kafka
 * broker, compared with a baseline job that only parses and counts.
 *
 * <ol>
 *   <li>Starts a Kafka 4.2 broker as its own process ({@link KafkaBrokerProcess}, as {@code hawkeye stack up}
 *       does) in a temporary directory, on free ports.</li>
 *   <li>Preloads {@code --events} span records ({@link SpanJsonGenerator}: the simulator's JSON shape, 50
 *       services × 4 endpoints) into a topic with {@code --partitions} partitions.</li>
 *   <li>Runs, each on a fresh MiniCluster with parallelism {@code --parallelism}, reading the topic from the
 *       earliest offset up to the offsets current at job start (bounded {@link KafkaSource}):
 *       <ul>
 *         <li><b>baseline</b>: the same deserializer and watermarks, then keyBy(service|endpoint), a count per
 *             1-minute tumbling event-time window (reduce, heap state), discarded; no checkpoints;</li>
 *         <li><b>pipeline</b>: {@link HawkeyeJob#define} with {@code capabilities=window-stats}: the window
 *             statistics and the job's three exactly-once Kafka sinks, RocksDB state, EXACTLY_ONCE checkpoints every 10 s (the job's cluster
 *             defaults, {@link HawkeyeJob#applyClusterDefaults}).</li>
 *         <li><b>detection</b>: the pipeline plus anomaly detection, as {@link HawkeyeJob#define} wires it
 *             with {@code capabilities=window-stats,detection} (the job's default detection options: seasonal
 *             detector per series, threshold rules, multivariate detectors per service) and its exactly-once
 *             Kafka alerts sink; the seasonal detector's per-window scores are counted (accumulator) and
 *             discarded. No rules topic (startup rules only).</li>
 *         <li><b>call-edges</b> (only when asked for): the pipeline with {@code capabilities=window-stats,
 *             call-edges}, the interval join of client spans with the callees' spans and the per-edge windows, and
 *             its exactly-once call-edges sink. {@code --client-spans SHARE} makes that share of the spans with a
 *             caller come with the caller's client span (extra records, part of {@code --events}); with 0 the
 *             join still keeps every span with a parent_id (85 %) and pairs none: the capability's cost where no
 *             client spans are sent.</li>
 *       </ul>
 *       {@code --jobs} selects which (default baseline, pipeline, detection).</li>
 *   <li>Checks that each job saw every event (baseline: an accumulator over the window counts; pipeline and
 *       detection: the sum of the endpoint-scope window counts read back from the window-stats topic with
 *       read_committed; detection also reports its scored windows and committed alerts), prints a result table,
 *       and stops the broker (also on failure and on Ctrl-C).</li>
 * </ol>
 *
 * <p>Throughput is events / the job's net runtime as the JobManager reports it (job start to finish, without
 * MiniCluster start-up); the wall time around {@code execute()} is printed too. For the pipeline the net
 * runtime includes waiting for the final checkpoint, which commits the Kafka transactions of the last records:
 * a bounded exactly-once job cannot finish sooner.
 *
 * <p>{@code --rate} is spans per event-time second and so sets how many windows the events span: the default
 * 10,000/s gives 5 M spans = 500 s = 9 one-minute windows (the density of a 10 k spans/s deployment, where the
 * detectors are still LEARNING); a low rate (e.g. 200/s: 5 M spans = 7 h = 417 windows) runs the detectors in
 * their steady state with refits, at 50× the windows per event of that deployment (an upper bound on the
 * detection overhead per event).
 *
 * <pre>java -cp ... io.hawkeye.benchmarks.PipelineThroughput [--events 5000000] [--partitions 4]
 *     [--parallelism 2] [--rate 10000] [--runs 1] [--jobs baseline,pipeline,detection,call-edges]
 *     [--client-spans 0.5] [--warmup] [--keep]</pre>
 *
 * <p>{@code --warmup} first runs one unmeasured baseline job: the jobs share this JVM, so otherwise the first
 * measured job alone pays for JIT compilation and a cold page cache, which biases the ratios towards later jobs.
 */
public final class PipelineThroughput {
    static final String TOPIC = "bench.telemetry";
    static final String TOPIC_WINDOW_STATS = "bench.window-stats";
    static final String TOPIC_METRIC_STATS = "bench.metric-stats";
    static final String TOPIC_DLQ = "bench.dlq";
    static final String TOPIC_ALERTS = "bench.alerts";
    static final String BASELINE_EVENTS = "baseline-windowed-events";
    static final String SCORED_WINDOWS = "detection-scored-windows";
    static final String TOPIC_CALL_EDGES = "bench.call-edges";
    static final Set<String> JOBS = Set.of("baseline", "pipeline", "detection", "call-edges");

    /** Command-line options. */
    record Options(long events, int partitions, int parallelism, double rate, int runs, boolean keep,
            List<String> jobs, boolean warmup, double clientSpans) {
        static Options parse(String[] args) {
            long events = 5_000_000;
            int partitions = 4;
            int parallelism = 2;
            double rate = 10_000;
            int runs = 1;
            boolean keep = false;
            List<String> jobs = List.of("baseline", "pipeline", "detection");
            boolean warmup = false;
            double clientSpans = 0;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--events" -> events = Long.parseLong(args[++i].replace("_", ""));
                    case "--partitions" -> partitions = Integer.parseInt(args[++i]);
                    case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                    case "--rate" -> rate = Double.parseDouble(args[++i]);
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--keep" -> keep = true;
                    case "--warmup" -> warmup = true;
                    case "--client-spans" -> clientSpans = Double.parseDouble(args[++i]);
                    case "--jobs" -> {
                        jobs = List.of(args[++i].split(","));
                        for (String j : jobs) {
                            if (!JOBS.contains(j)) throw new IllegalArgumentException("unknown job " + j);
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i] + "; usage: "
                            + "[--events N] [--partitions P] [--parallelism K] [--rate spans-per-event-second] "
                            + "[--runs R] [--jobs baseline,pipeline,detection,call-edges] [--client-spans SHARE] "
                            + "[--warmup] [--keep]");
                }
            }
            return new Options(events, partitions, parallelism, rate, runs, keep, jobs, warmup, clientSpans);
        }
    }

    /** One measured job run; {@code detail}: what else the job produced (detection: scores and alerts). */
    record Run(String name, long events, long expected, long verified, long netMillis, long wallMillis,
            String detail) {
        double eventsPerSecond() {
            return events * 1000.0 / netMillis;
        }

        double eventsPerSecondWall() {
            return events * 1000.0 / wallMillis;
        }
    }

    private PipelineThroughput() {}

    public static void main(String[] args) throws Exception {
        Options o = Options.parse(args);
        Path work = Files.createTempDirectory("hawkeye-throughput-");
        AtomicReference<KafkaBrokerProcess> broker = new AtomicReference<>();
        // Ctrl-C or SIGTERM: the broker is a separate (setsid) process and would outlive us otherwise.
        Thread hook = new Thread(() -> {
            KafkaBrokerProcess b = broker.get();
            if (b != null) KafkaBrokerProcess.stop(b.pid());
        }, "stop-kafka-broker");
        Runtime.getRuntime().addShutdownHook(hook);
        int exit = 0;
        try {
            broker.set(startBroker(work));
            String bootstrap = broker.get().bootstrapServers();
            System.out.printf(Locale.ROOT, "Kafka broker pid %d at %s (dir %s)%n", broker.get().pid(), bootstrap,
                    work);
            LocalStack.createTopics(bootstrap, List.of(topic(TOPIC, o.partitions())));
            long clientSpans = preload(bootstrap, o);
            long inTopic = recordsInTopic(bootstrap, TOPIC);
            if (inTopic != o.events()) {
                throw new IllegalStateException(TOPIC + " holds " + inTopic + " records, expected " + o.events());
            }

            List<Run> runs = new ArrayList<>();
            if (o.warmup()) {
                // Jobs run one after the other in this JVM: without this, the first measured job alone pays for
                // JIT compilation of the parser and connector code and for a cold page cache.
                System.out.println("\n[warm-up] one unmeasured baseline job (JIT, page cache)");
                runBaseline(bootstrap, o, 0);
            }
            for (int r = 1; r <= o.runs(); r++) {
                if (o.jobs().contains("baseline")) runs.add(runBaseline(bootstrap, o, r));
                for (String job : List.of("pipeline", "detection", "call-edges")) {
                    if (o.jobs().contains(job)) runs.add(runPipeline(bootstrap, o, work, r, job, clientSpans));
                }
            }
            exit = report(o, runs);
        } catch (Exception e) {
            e.printStackTrace();
            exit = 1;
        } finally {
            KafkaBrokerProcess b = broker.get();
            if (b != null) {
                boolean stopped = b.stop();
                System.out.println("Kafka broker stopped: " + stopped);
                broker.set(null);
            }
            if (!o.keep()) deleteRecursively(work);
        }
        System.exit(exit);
    }

    static KafkaBrokerProcess startBroker(Path work) throws IOException {
        Path repo = MavenResolver.findRepoRoot(Path.of("")).orElseThrow(() -> new IllegalStateException(
                "run from the Hawkeye checkout (or set HAWKEYE_REPO): the broker's classpath is resolved with "
                        + "deploy/local/pom.xml"));
        // Shares the classpath cache of the local stack (./.hawkeye/cache) so that only the first run resolves.
        String classpath = new MavenResolver(repo).kafkaClasspath(repo.resolve(".hawkeye/cache"));
        int port = Processes.freePort(0);
        int controller = Processes.freePort(0);
        while (controller == port) controller = Processes.freePort(0);
        return KafkaBrokerProcess.start(classpath, work.resolve("kafka"), port, controller, Duration.ofMinutes(2));
    }

    /**
     * A topic that keeps its records: the spans carry event times from {@link SpanJsonGenerator#BASE}, months in
     * the past, and with the broker's default 7-day time retention Kafka would roll and delete them (and the
     * window results, timestamped with their window) while the benchmark runs.
     */
    static TopicSpec topic(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of("retention.ms", "-1"));
    }

    static long recordsInTopic(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            Map<TopicPartition, Long> begin = c.beginningOffsets(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            return parts.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
        }
    }

    /** Writes the spans, each service to one partition (services spread round-robin, so partitions balance). */
    static long preload(String bootstrap, Options o) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L * 1024 * 1024));
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        AtomicReference<Exception> failure = new AtomicReference<>();
        SpanJsonGenerator gen = new SpanJsonGenerator(20260101L, o.rate(), o.clientSpans());
        long bytes = 0;
        long t0 = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (long i = 0; i < o.events(); i++) {
                SpanJsonGenerator.SpanRecord r = gen.next();
                bytes += r.value().length;
                producer.send(new ProducerRecord<>(TOPIC, r.serviceIndex() % o.partitions(), r.ts(),
                        r.key().getBytes(StandardCharsets.UTF_8), r.value()), (meta, e) -> {
                            if (e != null) failure.compareAndSet(null, e);
                        });
                if (failure.get() != null) break;
                if ((i + 1) % 1_000_000 == 0) System.out.printf(Locale.ROOT, "  preloaded %,d%n", i + 1);
            }
            producer.flush();
        }
        if (failure.get() != null) throw new IllegalStateException("preload failed", failure.get());
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "Preloaded %,d spans (%.0f MB of JSON, avg %d B) into %s (%d partitions) "
                        + "in %.1f s (%,.0f/s); event time spans %.0f s%n", o.events(), bytes / 1e6,
                bytes / Math.max(1, o.events()), TOPIC, o.partitions(), s, o.events() / s, o.events() / o.rate());
        if (gen.clientSpans() > 0) System.out.printf(Locale.ROOT, "  of them %,d client spans%n", gen.clientSpans());
        return gen.clientSpans();
    }

    /** The job's options for this broker; a fresh group id per run so transactional ids never collide. */
    static Configuration hawkeyeConf(String bootstrap, String groupId, int run) {
        Configuration conf = new Configuration();
        conf.set(HawkeyeOptions.KAFKA_BOOTSTRAP, bootstrap);
        conf.set(HawkeyeOptions.KAFKA_GROUP_ID, groupId);
        conf.set(HawkeyeOptions.TOPIC_TELEMETRY, TOPIC);
        // Output topics per run, so that the check of a run reads only that run's results.
        conf.set(HawkeyeOptions.TOPIC_WINDOW_STATS, TOPIC_WINDOW_STATS + "." + run);
        conf.set(HawkeyeOptions.TOPIC_METRIC_STATS, TOPIC_METRIC_STATS + "." + run);
        conf.set(HawkeyeOptions.TOPIC_DLQ, TOPIC_DLQ + "." + run);
        return conf;
    }

    /** The job's own telemetry source ({@link KafkaIO#telemetrySource}), bounded via kafka.bounded. */
    static KafkaSource<TelemetryEvent> boundedTelemetrySource(Configuration conf) {
        Configuration bounded = new Configuration(conf);
        bounded.set(HawkeyeOptions.KAFKA_BOUNDED, true);
        bounded.set(HawkeyeOptions.KAFKA_STARTING_OFFSETS, "earliest");
        return KafkaIO.telemetrySource(bounded);
    }

    static StreamExecutionEnvironment miniCluster(Configuration c, int parallelism) {
        c.setString("taskmanager.numberOfTaskSlots", String.valueOf(parallelism));
        c.set(PipelineOptions.MAX_PARALLELISM, HawkeyeOptions.DEFAULT_MAX_PARALLELISM.defaultValue());
        // A fresh MiniCluster per execute(): createLocalEnvironment starts one for each job.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
        env.setParallelism(parallelism);
        return env;
    }

    static Run runBaseline(String bootstrap, Options o, int run) throws Exception {
        Configuration conf = hawkeyeConf(bootstrap, "bench-baseline-" + run, run);
        Configuration cluster = new Configuration();
        cluster.set(StateBackendOptions.STATE_BACKEND, "hashmap");
        StreamExecutionEnvironment env = miniCluster(cluster, o.parallelism());

        env.fromSource(boundedTelemetrySource(conf), Sources.watermarks(conf), "Kafka telemetry")
                .uid("baseline-source")
                .filter(e -> e.span != null).name("Spans only")
                .map(e -> Tuple2.of(e.span.service + "|" + e.span.endpoint, 1L))
                .returns(Types.TUPLE(Types.STRING, Types.LONG)).name("Key")
                .keyBy(t -> t.f0)
                .window(TumblingEventTimeWindows.of(conf.get(HawkeyeOptions.WINDOW_SIZE)))
                .reduce((a, b) -> Tuple2.of(a.f0, a.f1 + b.f1)).uid("baseline-count").name("Count per window")
                .map(new CountEvents()).name("Sum counts")
                .sinkTo(new DiscardingSink<>()).name("Discard");

        System.out.printf(Locale.ROOT, "%n[run %d] baseline: parse + keyBy + count per 1-min window (heap state, "
                + "no checkpoints)  load average %s%n", run, loadAverage());
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("Hawkeye benchmark baseline");
        long wall = (System.nanoTime() - t0) / 1_000_000;
        Long counted = result.getAccumulatorResult(BASELINE_EVENTS);
        Run r = new Run("baseline", o.events(), o.events(), counted == null ? -1 : counted, result.getNetRuntime(),
                wall, "");
        print(r);
        return r;
    }

    /**
     * The pipeline job ({@code name} pipeline), with anomaly detection (detection) or per-edge call statistics
     * (call-edges). Client spans are not requests: the windows hold {@code events − clientSpans} spans.
     */
    static Run runPipeline(String bootstrap, Options o, Path work, int run, String name, long clientSpans)
            throws Exception {
        boolean detect = name.equals("detection");
        boolean callEdges = name.equals("call-edges");
        String group = "bench-" + name + "-" + run;
        // Own output topics per job and run, so that each check reads only that job's results.
        Configuration conf = hawkeyeConf(bootstrap, group, run);
        conf.set(HawkeyeOptions.TOPIC_WINDOW_STATS, TOPIC_WINDOW_STATS + "." + name + "." + run);
        conf.set(HawkeyeOptions.TOPIC_METRIC_STATS, TOPIC_METRIC_STATS + "." + name + "." + run);
        conf.set(HawkeyeOptions.TOPIC_DLQ, TOPIC_DLQ + "." + name + "." + run);
        conf.set(HawkeyeOptions.TOPIC_ALERTS, TOPIC_ALERTS + "." + name + "." + run);
        List<TopicSpec> topics = new ArrayList<>(List.of(topic(conf.get(HawkeyeOptions.TOPIC_WINDOW_STATS), 1),
                topic(conf.get(HawkeyeOptions.TOPIC_METRIC_STATS), 1), topic(conf.get(HawkeyeOptions.TOPIC_DLQ), 1)));
        if (detect) topics.add(topic(conf.get(HawkeyeOptions.TOPIC_ALERTS), 1));
        conf.set(HawkeyeOptions.TOPIC_CALL_EDGES, TOPIC_CALL_EDGES + "." + name + "." + run);
        if (callEdges) topics.add(topic(conf.get(HawkeyeOptions.TOPIC_CALL_EDGES), 1));
        LocalStack.createTopics(bootstrap, topics);
        Configuration cluster = new Configuration();
        cluster.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                work.resolve("checkpoints-" + name + "-" + run).toAbsolutePath().toUri().toString());
        StreamExecutionEnvironment env = miniCluster(cluster, o.parallelism());
        // The job's own defaults: RocksDB, EXACTLY_ONCE checkpoints every 10 s.
        HawkeyeJob.applyClusterDefaults(env, conf);

        // The job's own wiring and output table (HawkeyeJob.define): bounded Kafka source, exactly-once Kafka sinks;
        // no Elasticsearch (not part of this benchmark), no rules topic (startup rules only).
        conf.set(HawkeyeOptions.KAFKA_BOUNDED, true);
        conf.set(HawkeyeOptions.KAFKA_STARTING_OFFSETS, "earliest");
        conf.set(HawkeyeOptions.TOPIC_RULES, "");
        conf.set(HawkeyeOptions.CAPABILITIES, detect ? "window-stats,detection"
                : callEdges ? "window-stats,call-edges" : "window-stats");
        HawkeyeJob.Pipeline pipeline = HawkeyeJob.define(env, conf);
        if (detect) {
            pipeline.detection().scores().map(new CountScores()).returns(TypeInformation.of(AnomalyScore.class))
                    .name("Count scores").sinkTo(new DiscardingSink<>()).name("Discard scores");
        }

        System.out.printf(Locale.ROOT, "%n[run %d] %s: WindowStatsWorkflow%s + exactly-once Kafka sinks "
                        + "(state %s, checkpoints every %s, %s)  load average %s%n", run, name,
                detect ? " + DetectionWorkflow (seasonal, rules, multivariate)"
                        : callEdges ? " + CallEdges (client spans paired with the callees' spans)" : "",
                env.getConfiguration().get(StateBackendOptions.STATE_BACKEND),
                env.getConfiguration().get(CheckpointingOptions.CHECKPOINTING_INTERVAL),
                env.getConfiguration().get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE), loadAverage());
        long t0 = System.nanoTime();
        JobExecutionResult result = env.execute("Hawkeye benchmark " + name);
        long wall = (System.nanoTime() - t0) / 1_000_000;
        long verified = endpointCountFromOutput(bootstrap, conf.get(HawkeyeOptions.TOPIC_WINDOW_STATS));
        Map<String, Long> dead = deadLettersByReason(bootstrap, conf.get(HawkeyeOptions.TOPIC_DLQ));
        String detail = "";
        if (detect) {
            Long scored = result.getAccumulatorResult(SCORED_WINDOWS);
            Map<String, Long> alerts = alertsByDetectorAndStatus(bootstrap, conf.get(HawkeyeOptions.TOPIC_ALERTS));
            detail = String.format(Locale.ROOT, "%,d seasonal windows scored; alerts committed: %s",
                    scored == null ? 0 : scored, alerts);
        }
        if (callEdges) {
            long[] edges = callEdgeCounts(bootstrap, conf.get(HawkeyeOptions.TOPIC_CALL_EDGES));
            detail = String.format(Locale.ROOT, "%,d edge windows committed, %,d paired calls of %,d client spans",
                    edges[0], edges[1], clientSpans);
        }
        Run r = new Run(name, o.events(), o.events() - clientSpans, verified, result.getNetRuntime(), wall, detail);
        print(r);
        if (!detail.isEmpty()) System.out.println("  " + detail);
        System.out.println("  dead letters by reason: " + dead + "; windowed + dead-lettered = "
                + (verified + dead.values().stream().mapToLong(Long::longValue).sum()));
        return r;
    }

    /**
     * Sum of the endpoint-scope window counts committed to {@code topic} (last revision of each document), read
     * with read_committed: equals the number of spans if none was lost or late.
     */
    static long endpointCountFromOutput(String bootstrap, String topic) {
        Map<String, WindowStats> latest = new HashMap<>();
        readCommitted(bootstrap, topic, rec -> {
            WindowStats w = WindowStats.fromJson(rec.value());
            latest.merge(w.documentId(), w, (a, b) -> a.revision >= b.revision ? a : b);
        });
        return latest.values().stream().filter(w -> WindowStats.SCOPE_ENDPOINT.equals(w.scope))
                .mapToLong(w -> w.count).sum();
    }

    /** Committed alerts per "detector status" (all detectors, firing and resolved records). */
    static Map<String, Long> alertsByDetectorAndStatus(String bootstrap, String topic) {
        Map<String, Long> counts = new TreeMap<>();
        readCommitted(bootstrap, topic, rec -> {
            Alert a = Alert.fromJson(rec.value());
            counts.merge(a.detector + " " + a.status, 1L, Long::sum);
        });
        return counts;
    }

    /** Committed call-edge windows and the paired calls they hold. */
    static long[] callEdgeCounts(String bootstrap, String topic) {
        long[] n = new long[2];
        readCommitted(bootstrap, topic, rec -> {
            n[0]++;
            n[1] += io.hawkeye.stats.CallEdgeStats.fromJson(rec.value()).matched;
        });
        return n;
    }

    /** Committed dead letters per reason (the record key). */
    static Map<String, Long> deadLettersByReason(String bootstrap, String topic) {
        Map<String, Long> byReason = new TreeMap<>();
        readCommitted(bootstrap, topic,
                rec -> byReason.merge(new String(rec.key(), StandardCharsets.UTF_8), 1L, Long::sum));
        return byReason;
    }

    static void readCommitted(String bootstrap, String topic, Consumer<ConsumerRecord<byte[], byte[]>> action) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> rec : c.poll(Duration.ofSeconds(1))) {
                    action.accept(rec);
                }
            }
        }
    }

    private static void print(Run r) {
        System.out.printf(Locale.ROOT, "  %s: %,d events in %.1f s net (%.1f s wall) → %,.0f events/s; "
                        + "events seen by the job: %,d%n", r.name(), r.events(), r.netMillis() / 1000.0,
                r.wallMillis() / 1000.0, r.eventsPerSecond(), r.verified());
    }

    static int report(Options o, List<Run> runs) {
        System.out.printf(Locale.ROOT, "%n=== Hawkeye pipeline throughput: %,d span events, %d partitions, "
                        + "parallelism %d, %d CPUs, load average now %s ===%n", o.events(), o.partitions(),
                o.parallelism(), Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.println("| run | job | events | net runtime (s) | wall (s) | events/s (net) | events/s (wall) "
                + "| events verified |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
        int i = 0;
        boolean allVerified = true;
        for (Run r : runs) {
            System.out.printf(Locale.ROOT, "| %d | %s | %,d | %.1f | %.1f | %,.0f | %,.0f | %,d |%n",
                    i / o.jobs().size() + 1, r.name(), r.events(), r.netMillis() / 1000.0, r.wallMillis() / 1000.0,
                    r.eventsPerSecond(), r.eventsPerSecondWall(), r.verified());
            allVerified &= r.verified() == r.expected();
            i++;
        }
        double base = best(runs, "baseline");
        double pipe = best(runs, "pipeline");
        double det = best(runs, "detection");
        double edges = best(runs, "call-edges");
        System.out.printf(Locale.ROOT, "%nbest baseline %,.0f events/s, best pipeline %,.0f events/s, "
                + "best detection %,.0f events/s, best call-edges %,.0f events/s%n", base, pipe, det, edges);
        if (edges > 0 && pipe > 0) {
            System.out.printf(Locale.ROOT, "ratio call-edges/pipeline = %.2f%n", edges / pipe);
        }
        if (pipe > 0 && base > 0) {
            System.out.printf(Locale.ROOT, "ratio pipeline/baseline = %.2f (floor 0.50: %s)%n", pipe / base,
                    pipe / base >= 0.5 ? "MET" : "MISSED");
        }
        if (det > 0 && base > 0) {
            System.out.printf(Locale.ROOT, "ratio detection/baseline = %.2f%n", det / base);
        }
        if (det > 0 && pipe > 0) {
            System.out.printf(Locale.ROOT, "ratio detection/pipeline = %.2f%n", det / pipe);
        }
        if (!allVerified) {
            System.out.println("WARNING: a job did not account for every event (see 'events verified')");
            return 3;
        }
        return 0;
    }

    private static double best(List<Run> runs, String name) {
        return runs.stream().filter(r -> r.name().equals(name)).mapToDouble(Run::eventsPerSecond).max().orElse(0);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f",
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }

    /** Adds the window counts to an accumulator: the baseline's proof that it counted every span. */
    static final class CountEvents extends RichMapFunction<Tuple2<String, Long>, Tuple2<String, Long>> {
        private transient LongCounter counter;

        @Override
        public void open(OpenContext ctx) {
            counter = getRuntimeContext().getLongCounter(BASELINE_EVENTS);
        }

        @Override
        public Tuple2<String, Long> map(Tuple2<String, Long> t) {
            counter.add(t.f1);
            return t;
        }
    }

    /** Counts the seasonal detector's scored windows: the detection job's proof that it scored windows. */
    static final class CountScores extends RichMapFunction<AnomalyScore, AnomalyScore> {
        private transient LongCounter counter;

        @Override
        public void open(OpenContext ctx) {
            counter = getRuntimeContext().getLongCounter(SCORED_WINDOWS);
        }

        @Override
        public AnomalyScore map(AnomalyScore s) {
            counter.add(1);
            return s;
        }
    }
}
