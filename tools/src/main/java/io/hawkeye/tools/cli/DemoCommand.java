package io.hawkeye.tools.cli;

import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.local.LocalStack;
import io.hawkeye.simulator.ForwardingSink;
import io.hawkeye.simulator.KafkaSink;
import io.hawkeye.simulator.PacedSink;
import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.tools.SimulationSeedOption;
import io.hawkeye.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hawkeye demo}: the whole pipeline on one machine. Uses the running local stack or starts one (a real
 * Kafka broker and a real Elasticsearch node), replays the simulated online shop into {@code telemetry} faster
 * than real time, runs the job on a local MiniCluster with the web UI, and prints a live summary read from the
 * job's committed output. On exit (after {@code --duration}, at the end of the simulation, or on Ctrl-C) it
 * stops everything it started, in reverse order.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the simulator and the job on the local stack (started if not running) and shows",
            "live percentiles. Stops everything it started on exit or Ctrl-C."})
public class DemoCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DemoCommand.class);

    @Option(names = "--duration", defaultValue = "0",
            description = "Seconds to run, then exit (default: until the simulation ends or Ctrl-C).")
    long durationSeconds;

    @Option(names = "--topology", description = "Topology YAML (default: deploy/topologies/online-shop.yaml).")
    Path topology;

    @Option(names = "--speed", defaultValue = "20",
            description = "Simulated seconds per wall-clock second (default: ${DEFAULT-VALUE}).")
    double speed;

    @Mixin
    SimulationSeedOption seed;

    @Option(names = "--bad-record-every", defaultValue = "2000",
            description = "Inject one malformed record every N events to show the dead-letter topic; 0 disables "
                    + "(default: ${DEFAULT-VALUE}).")
    long badRecordEvery;

    @Mixin
    WebUiPortOption webUi;

    @Mixin
    StackHomeOption home;

    @Option(names = "--any-ports", hidden = true,
            description = "Do not prefer 9092/9200 for a stack started here (tests).")
    boolean anyPorts;

    @Option(names = "--elasticsearch-home", hidden = true,
            description = "An unpacked Elasticsearch distribution to use instead of resolving one (tests).")
    Path elasticsearchHome;

    @Option(names = "--window", defaultValue = "10s",
            description = {"Window size of the job in the demo (default: ${DEFAULT-VALUE}; the job's own default is "
                + "1m).", "Short windows let the detectors and the forecaster learn within a few simulated minutes."})
    String window;

    @Option(names = "--faults", defaultValue = "demo",
            description = {"Which faults the simulator injects: demo (default) = one latency fault (service times "
                + "x2) on the most depended-upon service, from 35% of the simulated period (at least 12 min in) for "
                + "15% of it (at least 4 min); topology = the faults scheduled in the topology file; none."})
    DemoFaults faults;

    /** The fault schedule of the demo's simulation. */
    enum DemoFaults { demo, topology, none }

    @Option(names = "--summary-every", defaultValue = "5",
            description = "Seconds between summaries (default: ${DEFAULT-VALUE}).")
    long summaryEvery;

    private final Deque<Runnable> cleanup = new ArrayDeque<>();
    private final AtomicBoolean cleanedUp = new AtomicBoolean();

    @Override
    public Integer call() throws Exception {
        Thread hook = new Thread(this::cleanUp, "hawkeye-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return run();
        } finally {
            cleanUp();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // already running the hook
            }
        }
    }

    private int run() throws Exception {
        LocalStack stack = home.stack();
        if (anyPorts) stack.preferDefaultPorts(false);
        if (elasticsearchHome != null) stack.elasticsearchHome(elasticsearchHome);
        System.out.println("Starting the local stack (Kafka + Elasticsearch) unless it is running; the first run "
                + "downloads them...");
        LocalStack.UpResult up = stack.up();
        if (up.startedByThisCall()) {
            cleanup.push(() -> {
                System.out.println("Stopping the local stack started by this demo...");
                try {
                    stack.down();
                } catch (Exception e) {
                    LOG.warn("stack down failed", e);
                }
            });
        }
        String bootstrap = up.endpoints().kafkaBootstrap();
        String es = up.endpoints().elasticsearchUrl();
        System.out.println("KAFKA=" + bootstrap);
        System.out.println("ELASTICSEARCH=" + es);

        // The job: read from the end of the topic, so the summary shows this run only.
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put(HawkeyeOptions.KAFKA_STARTING_OFFSETS.key(), "latest");
        conf.put(HawkeyeOptions.KAFKA_GROUP_ID.key(), "hawkeye-demo");
        // A small topology leaves some partitions without data; do not let them hold the watermark for long.
        conf.put(HawkeyeOptions.IDLENESS.key(), "5s");
        conf.put(HawkeyeOptions.WINDOW_SIZE.key(), window);
        Configuration jobConf = RunCommand.jobConfiguration(bootstrap, es, conf);
        StreamExecutionEnvironment env = LocalFlink.create(stack.stateDir(), 2, webUi.webUiPort, Duration.ofSeconds(5));
        HawkeyeJob.define(env, jobConf);
        JobClient job = env.executeAsync("Hawkeye demo");
        cleanup.push(() -> {
            System.out.println("Stopping the job...");
            try {
                job.cancel().get(30, TimeUnit.SECONDS);
                job.getJobExecutionResult().handle((r, t) -> null).get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("job cancel", e);
            }
        });
        waitUntilRunning(job);
        System.out.println("Flink web UI: " + webUi.url());
        if (es != null) {
            // Elasticsearch is written by the indexer job from the committed output topics, never by the job itself:
            // an Elasticsearch outage then delays the documents, not the job's Kafka commits.
            JobClient indexer = RunCommand.startIndexer(stack.stateDir(), jobConf,
                    Duration.ofSeconds(5));
            cleanup.push(() -> {
                try {
                    indexer.cancel().get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.debug("indexer cancel", e);
                }
            });
        }

        try (DemoSummary summary = new DemoSummary(bootstrap, jobConf.get(HawkeyeOptions.TOPIC_WINDOW_STATS),
                jobConf.get(HawkeyeOptions.TOPIC_DLQ), jobConf.get(HawkeyeOptions.TOPIC_ALERTS),
                jobConf.get(HawkeyeOptions.TOPIC_SCALING_ACTIONS), jobConf.get(HawkeyeOptions.TOPIC_INCIDENTS),
                jobConf.get(HawkeyeOptions.TOPIC_ANNOTATED_ALERTS))) {
            SimulatorThread sim = startSimulator(stack, bootstrap, summary.jobProgress());
            cleanup.push(sim::stopAndJoin);
            long started = System.nanoTime();
            long lastEvents = 0;
            long lastPrint = started;
            long deadline = durationSeconds > 0 ? started + TimeUnit.SECONDS.toNanos(durationSeconds) : Long.MAX_VALUE;
            while (System.nanoTime() < deadline) {
                summary.poll();
                long now = System.nanoTime();
                if (now - lastPrint >= TimeUnit.SECONDS.toNanos(summaryEvery)) {
                    long events = sim.sent.get();
                    summary.print(System.out, TimeUnit.NANOSECONDS.toSeconds(now - started), sim.sent,
                            (events - lastEvents) * 1e9 / (now - lastPrint), sim.simulatedTime());
                    lastEvents = events;
                    lastPrint = now;
                }
                JobStatus status = job.getJobStatus().get(10, TimeUnit.SECONDS);
                if (status.isGloballyTerminalState()) {
                    System.out.println("The job ended: " + status);
                    return 1;
                }
                if (!sim.isAlive() && durationSeconds == 0) {
                    System.out.println("The simulation has ended.");
                    break;
                }
            }
            long elapsed = System.nanoTime() - started;
            summary.print(System.out, TimeUnit.NANOSECONDS.toSeconds(elapsed), sim.sent,
                    sim.sent.get() * 1e9 / Math.max(1, elapsed), sim.simulatedTime());
            System.out.printf("%nDemo done: %,d events sent; read back from Kafka: %,d windows, %,d dead letters, "
                    + "%,d alert records (%,d resolved), %,d incidents, %,d scaling actions.%n", sim.sent.get(),
                    summary.windowsOut(), summary.deadLetterCount(), summary.alertRecords(),
                    summary.alertsResolved(), summary.incidentCount(), summary.scalingActions());
            summary.printIncidents(System.out);
            if (es != null) {
                IndexerProgress.await(bootstrap, jobConf, Duration.ofSeconds(30));
                DemoSummary.printElasticsearchCounts(System.out, es);
            }
        }
        return 0;
    }

    private SimulatorThread startSimulator(LocalStack stack, String bootstrap, AtomicLong jobProgress) {
        Path topo = topology != null ? topology
                : stack.repoRoot().resolve("deploy/topologies/online-shop.yaml");
        // Simulated time ends at about "now", so no event is in the future.
        Duration simulated = durationSeconds > 0
                ? Duration.ofMillis((long) (durationSeconds * speed * 1000) + 120_000)
                : Duration.ofDays(1);
        Instant start = Instant.now().minus(simulated);
        Topology loaded = Topology.load(topo);
        Topology withFaults = switch (faults) {
            case topology -> loaded;
            case none -> loaded.withFaults(List.of());
            case demo -> loaded.withFaults(List.of(demoFault(loaded, simulated)));
        };
        for (Topology.Fault f : withFaults.faults()) {
            System.out.printf("Fault: %s on %s from %s to %s (simulated time) %s%n", f.type().yamlName(), f.service(),
                    start.plus(f.start()), start.plus(f.end()), f.params());
        }
        Simulation simulation = new Simulation(withFaults, seed.seed, start);
        AtomicLong sent = new AtomicLong();
        TelemetrySink kafka = new KafkaSink(bootstrap, "telemetry", Map.of());
        TelemetrySink counting = new BadRecordInjector(kafka, badRecordEvery, sent);
        TelemetrySink paced = new PacedSink(counting, speed, 0);
        // Never more than a few simulated minutes ahead of the job's committed windows: on a slow machine the
        // simulation slows down instead of the job falling ever further behind (and the faults never showing).
        long maxLead = Math.max(Duration.ofMinutes(5).toMillis(), (long) (15_000 * speed));
        TelemetrySink limited = new LagLimiter(paced, jobProgress, start.toEpochMilli(), maxLead);
        SimulatorThread t = new SimulatorThread(simulation, simulated, limited, sent);
        t.start();
        System.out.printf("Simulating %s from %s at %.0fx (topology %s)%n", simulated, start, speed, topo);
        return t;
    }

    /**
     * The demo's fault: service times x2 on the service with the most transitive callers (the shared database of
     * the online shop), for 15% of the simulated period (at least 4 minutes) from 35% of it (at least 12 minutes
     * in) — after the detectors have learned (30 to 60 windows of 10 s), with time left for the alerts and the
     * incident to resolve.
     */
    static Topology.Fault demoFault(Topology topology, Duration simulated) {
        String target = topology.services().keySet().stream()
                .max(Comparator.comparingInt((String s) -> topology.withTransitiveCallers(s).size())
                        .thenComparing(Comparator.reverseOrder()))
                .orElseThrow();
        Duration start = Duration.ofMillis(Math.max(Duration.ofMinutes(12).toMillis(),
                (long) (simulated.toMillis() * 0.35)));
        Duration duration = Duration.ofMillis(Math.max(Duration.ofMinutes(4).toMillis(),
                (long) (simulated.toMillis() * 0.15)));
        return new Topology.Fault(Topology.FaultType.LATENCY, target, null, start, duration, 0, 2.0, 0, 0, 1);
    }

    private static void waitUntilRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            JobStatus s = job.getJobStatus().get(10, TimeUnit.SECONDS);
            if (s == JobStatus.RUNNING) {
                Thread.sleep(2000); // let the source subtasks take their partitions at the end offsets
                return;
            }
            if (s.isGloballyTerminalState()) throw new IllegalStateException("job ended early: " + s);
            Thread.sleep(200);
        }
        throw new IllegalStateException("job did not start within 60 s");
    }

    private void cleanUp() {
        if (!cleanedUp.compareAndSet(false, true)) return;
        while (!cleanup.isEmpty()) {
            try {
                cleanup.pop().run();
            } catch (RuntimeException e) {
                LOG.warn("cleanup step failed", e);
            }
        }
    }

    /** Runs the simulation on its own thread. */
    static final class SimulatorThread extends Thread {
        final Simulation simulation;
        final Duration simulated;
        final TelemetrySink sink;
        final AtomicLong sent;

        SimulatorThread(Simulation simulation, Duration simulated, TelemetrySink sink, AtomicLong sent) {
            super("hawkeye-demo-simulator");
            setDaemon(true);
            this.simulation = simulation;
            this.simulated = simulated;
            this.sink = sink;
            this.sent = sent;
        }

        @Override
        public void run() {
            try (TelemetrySink s = sink) {
                simulation.run(simulated, s);
            } catch (Exception e) {
                LOG.error("simulator failed", e);
            }
        }

        Instant simulatedTime() {
            Simulation.Progress p = simulation.progress();
            return p == null ? null : p.simulatedTime();
        }

        void stopAndJoin() {
            simulation.stop();
            try {
                join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Holds the simulation back while it is more than {@code maxLeadMillis} of event time ahead of the job. */
    static final class LagLimiter extends ForwardingSink {
        private final AtomicLong jobProgress;
        private final long start;
        private final long maxLeadMillis;

        LagLimiter(TelemetrySink delegate, AtomicLong jobProgress, long start, long maxLeadMillis) {
            super(delegate);
            this.jobProgress = jobProgress;
            this.start = start;
            this.maxLeadMillis = maxLeadMillis;
        }

        @Override
        public void emit(String key, String json, long tsMillis) {
            while (tsMillis - Math.max(start, jobProgress.get()) > maxLeadMillis) {
                delegate.flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the simulation loop sees it and stops
                    break;
                }
            }
            delegate.emit(key, json, tsMillis);
        }
    }

    /**
     * Counts what is sent and replaces one event in every {@code every} with a malformed record, cycling through
     * a few kinds of bad input, so the demo shows dead letters with their reasons.
     */
    static final class BadRecordInjector extends ForwardingSink {
        private static final String[] BAD = {
            "{\"type\":\"span\",\"ts\":%d,\"service\":\"frontend\",\"endpoint\":\"GET /\",\"duration_ms\":-5,"
                    + "\"status\":\"ok\"}",
            "{\"type\":\"span\",\"ts\":%d,\"endpoint\":\"GET /\",\"duration_ms\":5,\"status\":\"ok\"}",
            "this is not json %d",
            "{\"type\":\"span\",\"ts\":%d,\"service\":\"frontend\",\"endpoint\":\"GET /\",\"duration_ms\":NaN,"
                    + "\"status\":\"ok\"}",
        };
        private final long every;
        private final AtomicLong sent;
        private long n;

        BadRecordInjector(TelemetrySink delegate, long every, AtomicLong sent) {
            super(delegate);
            this.every = every;
            this.sent = sent;
        }

        @Override
        public void emit(String key, String json, long tsMillis) {
            n++;
            sent.incrementAndGet();
            if (every > 0 && n % every == 0) {
                delegate.emit(key, String.format(BAD[(int) ((n / every) % BAD.length)], tsMillis), tsMillis);
            } else {
                delegate.emit(key, json, tsMillis);
            }
        }
    }
}
