package io.hawkeye.jobs.detect;

import io.hawkeye.jobs.simulator.GroundTruth;
import io.hawkeye.jobs.simulator.Simulation;
import io.hawkeye.jobs.simulator.TelemetrySink;
import io.hawkeye.jobs.simulator.Topology;
import io.hawkeye.stats.StatsAccumulator;
import io.hawkeye.stats.WindowStats;
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
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
public class SimulateWindowsCommand implements Callable<Integer> {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @Option(names = "--topology", paramLabel = "FILE", defaultValue = "deploy/topologies/online-shop-eval.yaml",
            description = "Topology YAML (default: ${DEFAULT-VALUE}).")
    Path topology;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--start", defaultValue = "2024-01-01T00:00:00Z",
            description = "Simulated start instant (default: ${DEFAULT-VALUE}, a Monday).")
    String start;

    @Option(names = "--duration", defaultValue = "P7D", description = "Simulated time, ISO-8601 (default: "
            + "${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--window", defaultValue = "PT1M", description = "Window size, ISO-8601 (default: "
            + "${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--span-sample-rate", defaultValue = "0.05",
            description = "Fraction of traces simulated in detail; rps is scaled back (default: ${DEFAULT-VALUE}).")
    double sampleRate;

    @Option(names = "--no-faults", description = "Drop the topology's faults (a fault-free control run).")
    boolean noFaults;

    @Option(names = "--fault-offset", defaultValue = "PT0S",
            description = "Shift every fault of the topology this much later, ISO-8601 (e.g. P7D: the same faults "
                    + "after a week of history; default: ${DEFAULT-VALUE}).")
    Duration faultOffset;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Directory for <service>.csv.")
    Path output;

    @Option(names = "--ground-truth", paramLabel = "FILE", description = "Write the faults as JSON lines to FILE.")
    Path groundTruth;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Topology t = Topology.load(topology).withSampling(sampleRate, 0);
        if (noFaults) {
            t = new Topology(t.name(), t.timezone(), t.spanSampleRate(), t.maxSpansPerSecond(), t.metricsInterval(),
                    t.services(), t.entries(), List.of());
        } else if (!faultOffset.isZero()) {
            if (faultOffset.isNegative()) throw new IllegalArgumentException("--fault-offset must not be negative");
            t = t.withFaults(t.faults().stream()
                    .map(f -> new Topology.Fault(f.type(), f.service(), f.endpoint(), f.start().plus(faultOffset),
                            f.duration(), f.extraMs(), f.multiplier(), f.errorRate(), f.replicasLost(), f.factor()))
                    .toList());
        }
        Instant from = Instant.parse(start);
        if (groundTruth != null) GroundTruth.write(t, from, groundTruth);
        Files.createDirectories(output);
        long t0 = System.nanoTime();
        Simulation sim = new Simulation(t, seed, from);
        Simulation.Progress p;
        try (WindowSink sink = new WindowSink(output, window.toMillis(), from.plus(duration).toEpochMilli(),
                sampleRate, DetectionConfig.defaults().minRequests)) {
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
        private final Map<String, ServiceWindow> services = new TreeMap<>();
        private long windowStart = Long.MIN_VALUE;

        WindowSink(Path dir, long windowMs, long endMs, double sampleRate, long minRequests) {
            this.dir = dir;
            this.windowMs = windowMs;
            this.endMs = endMs;
            this.sampleRate = sampleRate;
            this.minRequests = minRequests;
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
                w.stats.add(ms, tsMillis, json.contains("\"status\":\"error\""));
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

        private void flushWindow() {
            for (Map.Entry<String, ServiceWindow> e : services.entrySet()) {
                ServiceWindow w = e.getValue();
                StringBuilder b = new StringBuilder(80).append(TIME.format(Instant.ofEpochMilli(windowStart)));
                if (w.stats.count() > 0) {
                    WindowStats s = WindowStats.of(WindowStats.SCOPE_SERVICE, e.getKey(), WindowStats.ALL_ENDPOINTS,
                            windowStart, windowStart + windowMs, w.stats.snapshot(), 0);
                    b.append(',').append(s.count).append(',').append(fmt(s.rps / sampleRate)).append(',')
                            .append(fmt(s.p50Ms)).append(',');
                    if (s.count >= minRequests) {
                        b.append(fmt(s.p99Ms)).append(',').append(fmt(s.errorRate));
                    } else {
                        b.append(',');
                    }
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
