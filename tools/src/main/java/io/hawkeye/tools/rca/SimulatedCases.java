package io.hawkeye.tools.rca;

import io.hawkeye.rca.ServiceGraph;
import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import io.hawkeye.telemetry.TelemetryParser;
import io.hawkeye.topology.Topology;
import io.hawkeye.topology.Topology.FaultType;
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
 * The simulator's root-cause cases, written in the layout {@code rca-eval} reads (one folder per case:
 * {@code graph.csv}, {@code normal.csv}, {@code abnormal.csv}, {@code case.json}). Each case: 20 simulated minutes
 * normal, then 8 minutes with one fault ({@link Topology.Fault#typical}) starting 2 minutes in, span sampling 0.2,
 * its own seed. Spans are aggregated per service and minute into {@code latency_mean, latency_p99, error_rate,
 * rps}, plus the mean {@code cpu_utilization}. docs/rca.md lists the 23 cases.
 */
public final class SimulatedCases {
    static final Instant START = Instant.parse("2024-03-04T10:00:00Z");
    static final long BUCKET_MS = 60_000;
    static final Duration NORMAL = Duration.ofMinutes(20);
    static final Duration ABNORMAL = Duration.ofMinutes(8);
    static final Duration LEAD = Duration.ofMinutes(2);

    /** One simulated fault: a topology file name (under the topology folder), the fault and the seed. */
    public record Case(String topology, FaultType type, String service, long seed) {
        public String name() {
            return String.format(Locale.ROOT, "%s_%s_%s", topology.replace(".yaml", ""), type.yamlName(), service);
        }
    }

    private SimulatedCases() {}

    /** The 23 cases: a shared database (online-shop) and a wide fan-out, latency and error faults. */
    public static List<Case> standard() {
        List<Case> cases = new ArrayList<>();
        long seed = 100;
        for (String s : List.of("postgres", "redis", "catalog", "search", "payment", "inventory", "checkout",
                "auth", "recommendation")) {
            cases.add(new Case("online-shop.yaml", FaultType.LATENCY, s, seed++));
        }
        for (String s : List.of("payment", "shipping", "catalog", "postgres")) {
            cases.add(new Case("online-shop.yaml", FaultType.ERROR_BURST, s, seed++));
        }
        for (String s : List.of("users-db", "cache", "orders", "search", "reviews", "pricing", "catalog-db")) {
            cases.add(new Case("fan-out.yaml", FaultType.LATENCY, s, seed++));
        }
        for (String s : List.of("shipping", "orders-db", "cache")) {
            cases.add(new Case("fan-out.yaml", FaultType.ERROR_BURST, s, seed++));
        }
        return cases;
    }

    /** Simulates {@code c} with the topology from {@code topologies} and writes its folder under {@code dir}. */
    public static Path write(Case c, Path topologies, Path dir) {
        Path topologyFile = topologies.resolve(c.topology());
        Topology base = Topology.load(topologyFile).withSampling(0.2, 0);
        Path out = dir.resolve(c.name());
        try {
            Files.createDirectories(out);
            generate(base, Topology.Fault.typical(c.type(), c.service(), NORMAL.plus(LEAD), Duration.ofHours(1)),
                    c.seed(), NORMAL, ABNORMAL, out);
            writeGraph(GraphFiles.load(topologyFile), out.resolve("graph.csv"));
            // The symptom: where users see the problem, the topology's (first) entry service.
            Files.writeString(out.resolve("case.json"), String.format(Locale.ROOT,
                    "{\"root_cause\": \"%s\", \"fault_type\": \"%s\", \"symptom\": \"%s\", \"topology\": \"%s\","
                            + " \"seed\": %d}%n", c.service(), c.type().yamlName(), entry(base), c.topology(),
                    c.seed()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write case " + out, e);
        }
        return out;
    }

    private static String entry(Topology t) {
        return t.entries().isEmpty() ? "" : t.entries().get(0).service();
    }

    private static void writeGraph(ServiceGraph g, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("caller,callee\n");
        for (String[] e : g.edges()) sb.append(e[0]).append(',').append(e[1]).append('\n');
        for (String s : g.services()) {
            if (g.callees(s).isEmpty() && g.callers(s).isEmpty()) sb.append(s).append(",\n");
        }
        Files.writeString(file, sb);
    }

    /** Writes normal.csv and abnormal.csv into {@code dir}. */
    static void generate(Topology base, Topology.Fault fault, long seed, Duration normal, Duration abnormal,
            Path dir) {
        Topology t = new Topology(base.name(), base.timezone(), base.spanSampleRate(), base.maxSpansPerSecond(),
                base.metricsInterval(), base.services(), base.entries(), fault == null ? List.of() : List.of(fault));
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
}
