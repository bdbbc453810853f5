package io.hawkeye.tools.detect;

import io.hawkeye.jobs.detect.DetectionConfig;
import io.hawkeye.jobs.detect.ServiceWindow;
import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.stats.StatsAccumulator;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.tools.GroundTruthOption;
import io.hawkeye.tools.SimulationSeedOption;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.UserError;
import io.hawkeye.topology.Topology;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./hawkeye simulate-windows}: runs the telemetry simulator in-process and aggregates its output straight
 * into per-service window statistics — the job's {@link StatsAccumulator} and {@link WindowStats} code — written as
 * one backtest CSV per service ({@code timestamp,count,rps,p50_ms,p99_ms,error_rate,cpu_utilization}; count = sampled
 * requests) plus the ground
 * truth of the faults. This is the fast path to evaluate the detectors on simulated weeks: a full-rate week of the
 * online shop is ~1.4 billion spans, so traces are sampled ({@code --span-sample-rate}; the simulator's queueing
 * model still runs at the full rate) and the request rate is scaled back by the sample rate. Latency quantiles and
 * error rates are unbiased under whole-trace sampling; they are noisier, as with sampling in production.
 *
 * <p>Rows follow the job's rules: a window without requests has empty request columns (a gap; the backtest
 * scores a missing {@code rps} like the job's absence timer); {@code p99_ms} and {@code error_rate} are empty when
 * the window has fewer than {@code detect.min-requests} (10) sampled requests; {@code cpu_utilization} is the mean
 * of the service's {@code cpu_utilization} samples in the window.
 */
@Command(name = "simulate-windows", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Simulate a topology and write per-service window statistics as backtest CSV files "
                + "(plus the faults' ground truth), for evaluating the detectors.")
public class SimulateWindowsCommand extends ToolCommand {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Option(names = "--topology", paramLabel = "FILE", defaultValue = "deploy/topologies/online-shop-eval.yaml",
            description = "Topology YAML (default: ${DEFAULT-VALUE}).")
    Path topology;

    @Mixin
    SimulationSeedOption seed;

    @Option(names = "--start", defaultValue = "2024-01-01T00:00:00Z",
            description = "Simulated start instant (default: ${DEFAULT-VALUE}, a Monday).")
    Instant start;

    @Option(names = "--duration", defaultValue = "7d", description = "Simulated time, e.g. 7d, 21d, 12h "
            + "(default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--window", defaultValue = "1min", description = "Window size (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--span-sample-rate", defaultValue = "0.05",
            description = "Fraction of traces simulated in detail; rps is scaled back (default: ${DEFAULT-VALUE}).")
    double sampleRate;

    @Option(names = "--no-faults", description = "Drop the topology's faults (a fault-free control run).")
    boolean noFaults;

    @Option(names = "--fault-offset", defaultValue = "0",
            description = "Shift every fault of the topology this much later (e.g. 7d: the same faults after a week "
                    + "of history; default: ${DEFAULT-VALUE}).")
    Duration faultOffset;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory for <service>.csv.")
    Path output;

    @Option(names = "--endpoints",
            description = "Also write each endpoint's series as the job scores them (seasonal only, one signal a "
                    + "file): DIR/<service>/<endpoint>.<signal>.csv for rps, p50_ms, p99_ms and error_rate.")
    boolean endpoints;

    @Mixin
    GroundTruthOption groundTruth;

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws IOException {
        Topology t = Topology.load(topology).withSampling(sampleRate, 0);
        if (noFaults) {
            t = new Topology(t.name(), t.timezone(), t.spanSampleRate(), t.maxSpansPerSecond(), t.metricsInterval(),
                    t.services(), t.entries(), List.of());
        } else if (!faultOffset.isZero()) { // never negative: Durations rejects that
            t = t.withFaults(t.faults().stream().map(f -> f.delayedBy(faultOffset)).toList());
        }
        if (window.isZero() || duration.isZero()) throw new UserError("--window and --duration must be > 0");
        Instant from = start;
        groundTruth.write(t, from);
        Files.createDirectories(output);
        long t0 = System.nanoTime();
        Simulation sim = new Simulation(t, seed.seed, from);
        Simulation.Progress p;
        try (WindowSink sink = new WindowSink(output, window.toMillis(), from.plus(duration).toEpochMilli(),
                sampleRate, DetectionConfig.defaults().minRequests(), endpoints)) {
            p = sim.run(duration, sink);
        }
        out.printf(Locale.ROOT, "%s: %d services, %s simulated, %d requests, %d spans and %d metric samples "
                        + "aggregated in %.1f s%n", t.name(), t.services().size(), duration, p.requests(), p.spans(),
                p.metrics(), (System.nanoTime() - t0) / 1e9);
        return 0;
    }

    /** Aggregates span and metric records per service and window; writes a service's row when its window ends. */
    static final class WindowSink implements TelemetrySink {
        private final Path dir;
        private final long windowMs;
        private final long endMs;
        private final double sampleRate;
        private final long minRequests;
        private final boolean endpoints;
        private final Map<String, ServiceWindow> services = new TreeMap<>();
        /** Per service, per endpoint, when {@code endpoints} (hash maps: looked up once per span). */
        private final Map<String, Map<String, EndpointWindow>> endpointWindows = new java.util.HashMap<>();
        private long windowStart = Long.MIN_VALUE;

        WindowSink(Path dir, long windowMs, long endMs, double sampleRate, long minRequests, boolean endpoints) {
            this.dir = dir;
            this.windowMs = windowMs;
            this.endMs = endMs;
            this.sampleRate = sampleRate;
            this.minRequests = minRequests;
            this.endpoints = endpoints;
        }

        @Override
        public void emit(String key, String json, long tsMillis) {
            if (tsMillis >= endMs) return; // spans of requests in flight at the end of the run
            long ws = Math.floorDiv(tsMillis, windowMs) * windowMs;
            if (windowStart == Long.MIN_VALUE) windowStart = ws;
            if (ws > windowStart) {
                flushWindow();
                windowStart = ws;
            }
            String service = string(json, "\"service\":");
            ServiceWindow w = services.computeIfAbsent(service, this::open);
            if (json.startsWith("{\"type\":\"span\"")) {
                if (ws < windowStart) return; // in flight at a run boundary; not in this evaluation
                double ms = number(json, "\"duration_ms\":");
                boolean error = json.contains("\"status\":\"error\"");
                w.stats.add(ms, tsMillis, error);
                if (endpoints) {
                    String endpoint = string(json, "\"endpoint\":");
                    endpointWindows.computeIfAbsent(service, k -> new java.util.HashMap<>())
                            .computeIfAbsent(endpoint, k -> openEndpoint(service, endpoint))
                            .stats.add(ms, tsMillis, error);
                }
            } else if (json.contains("\"name\":\"cpu_utilization\"")) {
                w.cpuSum += number(json, "\"value\":");
                w.cpuCount++;
            }
        }

        private ServiceWindow open(String service) {
            try {
                BufferedWriter wr = Files.newBufferedWriter(dir.resolve(service + ".csv"), StandardCharsets.UTF_8);
                wr.write("timestamp,count,rps,p50_ms,p99_ms,error_rate,cpu_utilization\n");
                return new ServiceWindow(wr);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private EndpointWindow openEndpoint(String service, String endpoint) {
            try {
                Path d = dir.resolve(service);
                Files.createDirectories(d);
                String file = endpoint.replaceAll("[^A-Za-z0-9_-]+", "_").replaceAll("^_+|_+$", "");
                EndpointWindow w = new EndpointWindow();
                for (int i = 0; i < ENDPOINT_SIGNALS.length; i++) {
                    w.writers[i] = Files.newBufferedWriter(d.resolve(file + "." + ENDPOINT_SIGNALS[i] + ".csv"),
                            StandardCharsets.UTF_8);
                    w.writers[i].write("timestamp,count," + ENDPOINT_SIGNALS[i] + "\n");
                }
                return w;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * One row per endpoint signal file. A window without requests leaves the endpoint's rows out: an endpoint
         * series with no traffic has no window in the job either (its absence is the rps series' gap policy).
         */
        private void flushEndpoints() {
            String ts = TIME.format(Instant.ofEpochMilli(windowStart));
            for (Map.Entry<String, Map<String, EndpointWindow>> byService : endpointWindows.entrySet()) {
                for (Map.Entry<String, EndpointWindow> e : byService.getValue().entrySet()) {
                    EndpointWindow w = e.getValue();
                    if (w.stats.count() == 0) continue; // nothing added since the last window: nothing to reset
                    writeEndpointRows(w, ts, WindowStats.of(WindowStats.SCOPE_ENDPOINT, byService.getKey(),
                            e.getKey(), windowStart, windowStart + windowMs, w.stats.snapshot(), 0));
                    w.stats = new StatsAccumulator(0.01);
                }
            }
        }

        /**
         * The job's signals of a window, in {@link #ENDPOINT_SIGNALS} order: rps scaled back by the sample rate,
         * p50, and p99 and error rate only with at least {@code minRequests} requests ("" otherwise, a gap).
         */
        private String[] signals(WindowStats s) {
            boolean enough = s.count >= minRequests;
            return new String[] {fmt(s.rps / sampleRate), fmt(s.p50Ms), enough ? fmt(s.p99Ms) : "",
                enough ? fmt(s.errorRate) : ""};
        }

        private void writeEndpointRows(EndpointWindow w, String ts, WindowStats s) {
            String[] v = signals(s);
            for (int i = 0; i < v.length; i++) {
                if (v[i].isEmpty()) continue;
                try {
                    w.writers[i].write(ts + "," + s.count + "," + v[i] + "\n");
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
            }
        }

        private void flushWindow() {
            if (endpoints) flushEndpoints();
            for (Map.Entry<String, ServiceWindow> e : services.entrySet()) {
                ServiceWindow w = e.getValue();
                StringBuilder b = new StringBuilder(80).append(TIME.format(Instant.ofEpochMilli(windowStart)));
                if (w.stats.count() > 0) {
                    WindowStats s = WindowStats.of(WindowStats.SCOPE_SERVICE, e.getKey(), WindowStats.ALL_ENDPOINTS,
                            windowStart, windowStart + windowMs, w.stats.snapshot(), 0);
                    b.append(',').append(s.count).append(',').append(String.join(",", signals(s)));
                } else {
                    b.append(",0,,,,");
                }
                b.append(',');
                if (w.cpuCount > 0) b.append(fmt(w.cpuSum / w.cpuCount));
                try {
                    w.writer.write(b.append('\n').toString());
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                w.reset();
            }
        }

        @Override
        public void close() {
            if (windowStart != Long.MIN_VALUE) flushWindow();
            for (EndpointWindow w : endpointWindows.values().stream().flatMap(m -> m.values().stream()).toList()) {
                for (BufferedWriter wr : w.writers) {
                    try {
                        wr.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            }
            for (ServiceWindow w : services.values()) {
                try {
                    w.writer.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        private static String fmt(double v) {
            return String.format(Locale.ROOT, "%.6g", v);
        }

        /** The JSON string after {@code key} (the simulator writes names without escapes). */
        static String string(String json, String key) {
            int i = json.indexOf(key) + key.length() + 1;
            return json.substring(i, json.indexOf('"', i));
        }

        static double number(String json, String key) {
            int i = json.indexOf(key) + key.length();
            int j = i;
            while (j < json.length() && ",}".indexOf(json.charAt(j)) < 0) j++;
            return Double.parseDouble(json.substring(i, j));
        }
    }

    /** The signals the job scores per endpoint, in the order of {@link EndpointWindow#writers}. */
    static final String[] ENDPOINT_SIGNALS = {"rps", "p50_ms", "p99_ms", "error_rate"};

    private static final class EndpointWindow {
        final BufferedWriter[] writers = new BufferedWriter[ENDPOINT_SIGNALS.length];
        StatsAccumulator stats = new StatsAccumulator(0.01);
    }

    private static final class ServiceWindow {
        final BufferedWriter writer;
        StatsAccumulator stats = new StatsAccumulator(0.01);
        double cpuSum;
        int cpuCount;

        ServiceWindow(BufferedWriter writer) {
            this.writer = writer;
        }

        void reset() {
            stats = new StatsAccumulator(0.01);
            cpuSum = 0;
            cpuCount = 0;
        }
    }
}
