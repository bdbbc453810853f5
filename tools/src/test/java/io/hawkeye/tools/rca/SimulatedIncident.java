package io.hawkeye.tools.rca;

import io.hawkeye.jobs.testing.TestFaults;
import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import io.hawkeye.telemetry.TelemetryParser;
import io.hawkeye.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Test fixture: runs the simulator with one fault and aggregates its spans (simply, in the test) into
 * per-service per-minute {@code latency_mean, latency_p99, error_rate, rps} plus the mean
 * {@code cpu_utilization}, written as the long CSVs the {@code rca} command reads. The normal period is
 * {@code normal} long; the fault starts {@code lead} into the abnormal period and lasts until its end.
 */
final class SimulatedIncident {
    static final Instant START = Instant.parse("2024-03-04T10:00:00Z");
    static final long BUCKET_MS = 60_000;

    private SimulatedIncident() {}

    /** Writes normal.csv and abnormal.csv into {@code dir}. */
    static void generate(Topology base, Topology.Fault fault, long seed, Duration normal, Duration abnormal,
            Path dir) {
        Topology t = new Topology(base.name(), base.timezone(), base.spanSampleRate(), base.maxSpansPerSecond(),
                base.metricsInterval(), base.services(), base.entries(), fault == null ? List.of() : List.of(fault));
        // service -> bucket -> [durations], errors, cpu sum/count
        Map<String, TreeMap<Long, Bucket>> agg = new TreeMap<>();
        TelemetryParser parser = new TelemetryParser(new TelemetryParser.Config(
                TelemetryParser.Config.DEFAULT_MAX_RECORD_BYTES, 0));
        TelemetryParser.Handler handler = new TelemetryParser.Handler() {
            @Override
            public void span(Span s) {
                bucket(agg, s.service, s.ts).add(s.durationMs, s.error);
            }

            @Override
            public void metric(MetricSample m) {
                if ("cpu_utilization".equals(m.name)) bucket(agg, m.service, m.ts).cpu(m.value);
            }

            @Override
            public void deadLetter(DeadLetter d) {
                throw new IllegalStateException("simulator produced bad telemetry: " + d.detail);
            }
        };
        try (TelemetrySink sink = (key, json, ts) ->
                parser.parse(json.getBytes(StandardCharsets.UTF_8), "sim", 0, 0, 0, handler)) {
            new Simulation(t, seed, START).run(normal.plus(abnormal), sink);
        }
        long split = START.toEpochMilli() + normal.toMillis();
        write(agg, dir.resolve("normal.csv"), Long.MIN_VALUE, split);
        write(agg, dir.resolve("abnormal.csv"), split, Long.MAX_VALUE);
    }

    private static Bucket bucket(Map<String, TreeMap<Long, Bucket>> agg, String service, long ts) {
        return agg.computeIfAbsent(service, k -> new TreeMap<>())
                .computeIfAbsent(ts - Math.floorMod(ts, BUCKET_MS), k -> new Bucket());
    }

    private static void write(Map<String, TreeMap<Long, Bucket>> agg, Path file, long from, long to) {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("timestamp,service,signal,value\n");
            for (var s : agg.entrySet()) {
                for (var b : s.getValue().subMap(from, true, to, false).entrySet()) {
                    String prefix = Instant.ofEpochMilli(b.getKey()) + "," + s.getKey() + ",";
                    Bucket x = b.getValue();
                    if (x.n > 0) {
                        double[] d = Arrays.copyOf(x.durations, x.n);
                        Arrays.sort(d);
                        double sum = 0;
                        for (double v : d) sum += v;
                        w.write(prefix + "latency_mean," + fmt(sum / x.n) + "\n");
                        w.write(prefix + "latency_p99," + fmt(d[(int) Math.ceil(0.99 * x.n) - 1]) + "\n");
                        w.write(prefix + "error_rate," + fmt((double) x.errors / x.n) + "\n");
                        w.write(prefix + "rps," + fmt(x.n / (BUCKET_MS / 1000.0)) + "\n");
                    }
                    if (x.cpuN > 0) w.write(prefix + "cpu_utilization," + fmt(x.cpuSum / x.cpuN) + "\n");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** A fault of {@code type} at {@code service} from {@code start} to the end of the run. */
    static Topology.Fault fault(Topology.FaultType type, String service, Duration start, Duration duration) {
        return TestFaults.fault(type, service, start, duration);
    }

    private static final class Bucket {
        double[] durations = new double[256];
        int n;
        long errors;
        double cpuSum;
        int cpuN;

        void add(double ms, boolean error) {
            if (n == durations.length) durations = Arrays.copyOf(durations, n * 2);
            durations[n++] = ms;
            if (error) errors++;
        }

        void cpu(double v) {
            cpuSum += v;
            cpuN++;
        }
    }

    static List<String> readRanking(Path out) throws IOException {
        List<String> services = new ArrayList<>();
        for (String line : Files.readAllLines(out).subList(1, Files.readAllLines(out).size())) {
            services.add(CsvLine.split(line).get(1));
        }
        return services;
    }
}
