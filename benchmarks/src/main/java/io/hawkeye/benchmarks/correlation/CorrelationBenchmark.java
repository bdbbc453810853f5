package io.hawkeye.benchmarks.correlation;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.jobs.correlate.CorrelationConfig;
import io.hawkeye.jobs.correlate.CorrelationWorkflow;
import io.hawkeye.jobs.correlate.IncidentCorrelator;
import io.hawkeye.jobs.correlate.TopologyEdge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * Throughput, per-alert latency and state size of the incident operator ({@link IncidentCorrelator}, applying
 * the rules of {@link io.hawkeye.correlate.IncidentBook} to Flink state) at fleet
 * scale: a synthetic graph of {@code --services} services (layered: entry services on top, each calling ~3
 * services of the layers below; the last layer is a pool of shared datastores) and an alert stream of
 * {@code --alerts-per-min} alert records (firing, updates, resolutions) per minute of event time, made of fault
 * clusters: a fault at a service (datastores twice as likely) raises alerts on it and on a sample of its
 * transitive callers within 3 hops (per service 1–3 signals), which fire with an onset delay growing with the
 * distance, send an update every 5 minutes and resolve when the fault ends; plus 5 % isolated noise alerts.
 * Seeded, deterministic.
 *
 * <p>The alerts go through a bounded Flink job on a local MiniCluster shaped like
 * {@link CorrelationWorkflow#build}'s incident half (keyBy constant, broadcast graph, parallelism 1); the graph
 * is given as static edges (as with {@code correlate.topology-file}); alerts carry their emission time as
 * timestamp, with monotonous watermarks (the operator buffers them until the watermark passes, as in the job). The
 * operator is a subclass ({@link TimedCorrelator}) that times its {@code processElement} and {@code onTimer} calls
 * (busy time) and each alert's correlation, and samples its state counts every 2,000 alerts. Reported: alerts/s
 * over the job's wall time (the correlator is the bottleneck: the source only indexes an array) and over the
 * operator's busy time, per-alert correlation time p50/p99/max, open incidents, member alerts, buffered alerts.
 *
 * <pre>
 * java -cp "$CP" io.hawkeye.benchmarks.correlation.CorrelationBenchmark --services 1000 --alerts-per-min 10000 --minutes 10
 *     [--clusters 10] [--state-backend rocksdb] [--max-age-min 20 --max-services 100 --max-alerts 1000]
 * </pre>
 */
public final class CorrelationBenchmark {
    static final long T0 = 1_767_268_800_000L; // 2026-01-01T12:00:00Z
    static final long MIN = 60_000;
    static final String[] SIGNALS = {"p99_ms", "error_rate", "p50_ms"};

    /** Results of the timed operator, collected in the (single) JVM of the local MiniCluster. */
    static final ConcurrentLinkedQueue<long[]> TIMINGS = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<long[]> STATE_SAMPLES = new ConcurrentLinkedQueue<>();
    static final java.util.concurrent.atomic.LongAdder BUSY_NS = new java.util.concurrent.atomic.LongAdder();
    static volatile Alert[] ALERTS;
    /** Past this, the timed operator stops processing (passes alerts through untouched) and the run reports
     * what it processed: a slow configuration must not run for hours. */
    static volatile long DEADLINE_NS;
    static volatile long SKIPPED;

    private CorrelationBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        int services = Integer.parseInt(a.getOrDefault("services", "1000"));
        int perMin = Integer.parseInt(a.getOrDefault("alerts-per-min", "10000"));
        int minutes = Integer.parseInt(a.getOrDefault("minutes", "10"));
        int windowMin = Integer.parseInt(a.getOrDefault("window-min", "10"));
        int maxHops = Integer.parseInt(a.getOrDefault("max-hops", "2"));
        int maxAgeMin = Integer.parseInt(a.getOrDefault("max-age-min", String.valueOf(2 * windowMin)));
        int maxServices = Integer.parseInt(a.getOrDefault("max-services",
                String.valueOf(CorrelationConfig.DEFAULT_MAX_SERVICES)));
        int maxAlerts = Integer.parseInt(a.getOrDefault("max-alerts",
                String.valueOf(CorrelationConfig.DEFAULT_MAX_ALERTS)));
        long seed = Long.parseLong(a.getOrDefault("seed", "42"));
        int clusters = Integer.parseInt(a.getOrDefault("clusters", "1"));
        int parallelism = Integer.parseInt(a.getOrDefault("parallelism", clusters > 1 ? "2" : "1"));
        DEADLINE_NS = System.nanoTime() + (long) (Double.parseDouble(a.getOrDefault("max-seconds", "300")) * 1e9);

        Graph g = Graph.clusters(services, clusters, 3, new SplittableRandom(seed));
        List<Alert> alerts = AlertStream.generate(g, perMin, minutes, new SplittableRandom(seed + 1));
        ALERTS = alerts.toArray(new Alert[0]);
        long firing = alerts.stream().filter(x -> Alert.FIRING.equals(x.status)).map(Alert::documentId).distinct()
                .count();
        System.out.printf(Locale.ROOT, "# graph: %d services, %d edges (%d datastores); alerts: %d records "
                + "(%d occurrences) over %d min of event time = %d/min; correlate.window %d min, max-hops %d; "
                + "%s%n", g.services.size(), g.edges.size(), g.datastores, alerts.size(), firing, minutes,
                alerts.size() / minutes, windowMin, maxHops, clusters > 1 ? clusters + " clusters, "
                        + "correlate.partition-label=cluster, parallelism " + parallelism : "unpartitioned (p=1)");

        CorrelationConfig config = new CorrelationConfig(windowMin * MIN, maxHops, 5 * MIN, Duration.ofHours(1)
                .toMillis(), 10_000, true, g.edges, 5, Duration.ofDays(1).toMillis(), clusters > 1 ? "cluster" : null)
                .withBounds(maxAgeMin * MIN, maxServices, maxAlerts);
        System.out.printf(Locale.ROOT, "# incident bounds: max age %d min, %d services, %d alerts%n", maxAgeMin,
                maxServices, maxAlerts);
        String backend = a.getOrDefault("state-backend", "hashmap");
        org.apache.flink.configuration.Configuration conf = new org.apache.flink.configuration.Configuration();
        conf.set(org.apache.flink.configuration.StateBackendOptions.STATE_BACKEND, backend);
        System.out.printf(Locale.ROOT, "# state backend: %s%n", backend);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.getConfig().setMaxParallelism(128);
        DataStream<Alert> stream = env.fromSequence(0, ALERTS.length - 1)
                .map(new FromArray()).returns(TypeInformation.of(Alert.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Alert>forMonotonousTimestamps()
                        .withTimestampAssigner((x, ts) -> emitted(x)));
        TopologyEdge none = TopologyEdge.of("-", "-", false);
        none.active = false;
        DataStream<TopologyEdge> graph = env.fromData(List.of(none), TypeInformation.of(TopologyEdge.class));
        var incidents = (clusters > 1 ? stream.keyBy(new CorrelationWorkflow.PartitionKey(config))
                : stream.keyBy(new CorrelationWorkflow.Constant<Alert>()))
                .connect(graph.broadcast(IncidentCorrelator.GRAPH))
                .process(new TimedCorrelator(config)).returns(TypeInformation.of(Incident.class))
                .uid(CorrelationWorkflow.UID_INCIDENTS).name("Correlate: incidents").setParallelism(parallelism);
        incidents.sinkTo(new DiscardingSink<>());
        incidents.getSideOutput(IncidentCorrelator.ANNOTATED).sinkTo(new DiscardingSink<>());

        long start = System.nanoTime();
        env.execute("correlation benchmark");
        double wall = (System.nanoTime() - start) / 1e9;

        long[] ns = TIMINGS.stream().mapToLong(x -> x[0]).toArray();
        Arrays.sort(ns);
        double busy = BUSY_NS.sum() / 1e9;
        long maxPending = 0, maxOpen = 0, maxMembers = 0;
        for (long[] s : STATE_SAMPLES) {
            maxOpen = Math.max(maxOpen, s[0]);
            maxMembers = Math.max(maxMembers, s[1]);
            maxPending = Math.max(maxPending, s[2]);
        }
        long[] last = STATE_SAMPLES.stream().reduce((x, y) -> y).orElse(new long[3]);
        if (SKIPPED > 0) {
            System.out.printf(Locale.ROOT, "STOPPED at --max-seconds: %d of %d alerts not processed%n", SKIPPED,
                    ALERTS.length);
        }
        System.out.printf(Locale.ROOT, "alerts processed: %d in %.1f s wall (job incl. startup) = %.0f alerts/s; "
                + "operator busy (all subtasks) %.1f s = %.0f alerts/s%n", ns.length, wall, ns.length / wall, busy, ns.length / busy);
        System.out.printf(Locale.ROOT, "per-alert correlation: p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.1f ms%n",
                q(ns, 0.5) / 1e6, q(ns, 0.99) / 1e6, q(ns, 0.999) / 1e6, ns[ns.length - 1] / 1e6);
        System.out.printf(Locale.ROOT, "state (sampled every 2,000 alerts, one key): open incidents max %d (last %d), "
                + "member alerts max %d (last %d), buffered alerts max %d (last %d); graph: %d static edges (config), "
                + "broadcast state empty%n", maxOpen, last[0], maxMembers, last[1], maxPending, last[2],
                g.edges.size());
        System.out.printf(Locale.ROOT, "headroom at %d alerts/min: %.1fx (operator busy), %.1fx (wall)%n", perMin,
                ns.length / busy / (perMin / 60.0), ns.length / wall / (perMin / 60.0));
    }

    static long q(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    static long emitted(Alert x) {
        return Math.max(x.startsAt, Math.max(x.endsAt, x.windowEnd));
    }

    /** Source map: index → the pre-generated alert (the job runs in this JVM). */
    static final class FromArray implements MapFunction<Long, Alert> {
        private static final long serialVersionUID = 1L;

        @Override
        public Alert map(Long i) {
            return ALERTS[i.intValue()];
        }
    }

    /**
     * The production operator, timed: busy time = every {@code processElement} (buffering for the event-time
     * alignment) and {@code onTimer} (release, correlation, per-tick ranking, resolution); per alert = the
     * correlation of one released alert record ({@link IncidentCorrelator#correlate}); every 2,000 alerts its
     * state counts ({@link IncidentCorrelator#stateCounts}).
     */
    static final class TimedCorrelator extends IncidentCorrelator {
        private static final long serialVersionUID = 1L;
        private transient long count;

        TimedCorrelator(CorrelationConfig config) {
            super(config);
        }

        @Override
        public void processElement(Alert alert, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
            long t = System.nanoTime();
            if (t > DEADLINE_NS) {
                SKIPPED++;
                return;
            }
            super.processElement(alert, ctx, out);
            BUSY_NS.add(System.nanoTime() - t);
        }

        @Override
        public void onTimer(long ts, OnTimerContext ctx, Collector<Incident> out) throws Exception {
            long t = System.nanoTime();
            super.onTimer(ts, ctx, out);
            BUSY_NS.add(System.nanoTime() - t);
        }

        @Override
        protected void correlate(Alert alert, ReadOnlyContext ctx, Collector<Incident> out) throws Exception {
            long t = System.nanoTime();
            super.correlate(alert, ctx, out);
            TIMINGS.add(new long[] {System.nanoTime() - t});
            if (++count % 2000 == 0) {
                long[] c = stateCounts();
                STATE_SAMPLES.add(c);
                System.out.printf(Locale.ROOT, "  %,d alerts (event time +%.1f min): open incidents %d, members %d, "
                        + "buffered %d%n", count, (emitted(alert) - T0) / 60_000.0, c[0], c[1], c[2]);
            }
        }
    }

    /** A layered call graph: entry services, middle layers, shared datastores at the bottom. */
    static final class Graph {
        final Map<String, String> cluster = new HashMap<>();
        final List<String> services = new ArrayList<>();
        final List<String> edges = new ArrayList<>();
        final Map<String, List<String>> callers = new HashMap<>();
        final Map<String, Integer> layer = new HashMap<>();
        int datastores;

        /** {@code k} disjoint layered graphs of n/k services each (services prefixed c0-, c1-, ...). */
        static Graph clusters(int n, int k, int fanOut, SplittableRandom rnd) {
            if (k <= 1) return layered(n, fanOut, rnd, "");
            Graph g = new Graph();
            for (int c = 0; c < k; c++) {
                Graph part = layered(n / k, fanOut, rnd, "c" + c + "-");
                g.services.addAll(part.services);
                g.edges.addAll(part.edges);
                g.callers.putAll(part.callers);
                g.layer.putAll(part.layer);
                part.services.forEach(x -> g.cluster.put(x, part.cluster.get(x)));
                g.datastores += part.datastores;
                g.stores.addAll(part.stores);
            }
            return g;
        }

        final List<String> stores = new ArrayList<>();

        static Graph layered(int n, int fanOut, SplittableRandom rnd, String prefix) {
            Graph g = new Graph();
            // Shares: 5 % entry, 3 middle layers of 85 % together, 10 % datastores (shared by many callers).
            int entry = Math.max(1, n / 20), stores = Math.max(1, n / 10), middle = n - entry - stores;
            int[] sizes = {entry, middle / 3, middle / 3, middle - 2 * (middle / 3), stores};
            List<List<String>> layers = new ArrayList<>();
            int id = 0;
            for (int l = 0; l < sizes.length; l++) {
                List<String> layerServices = new ArrayList<>();
                for (int k = 0; k < sizes[l]; k++) {
                    String s = prefix + (l == sizes.length - 1 ? "db-" : "svc-")
                            + String.format(Locale.ROOT, "%04d", id++);
                    layerServices.add(s);
                    if (!prefix.isEmpty()) g.cluster.put(s, prefix.substring(0, prefix.length() - 1));
                    if (l == sizes.length - 1) g.stores.add(s);
                    g.services.add(s);
                    g.layer.put(s, l);
                }
                layers.add(layerServices);
            }
            g.datastores = stores;
            Set<String> seen = new HashSet<>();
            for (int l = 0; l < layers.size() - 1; l++) {
                for (String s : layers.get(l)) {
                    int calls = Math.max(1, fanOut - 1 + rnd.nextInt(3)); // 2..4, mean ~3
                    for (int c = 0; c < calls; c++) {
                        // Mostly the next layer; a third of the calls go straight to a datastore.
                        int target = rnd.nextInt(3) == 0 ? layers.size() - 1 : l + 1;
                        List<String> pool = layers.get(target);
                        String callee = pool.get(rnd.nextInt(pool.size()));
                        if (seen.add(s + "|" + callee)) {
                            g.edges.add(s + "|" + callee);
                            g.callers.computeIfAbsent(callee, k -> new ArrayList<>()).add(s);
                        }
                    }
                }
            }
            return g;
        }

        /** Transitive callers within {@code hops}, with their distance. */
        Map<String, Integer> callersWithin(String s, int hops) {
            Map<String, Integer> d = new TreeMap<>();
            List<String> frontier = List.of(s);
            for (int h = 1; h <= hops; h++) {
                List<String> next = new ArrayList<>();
                for (String f : frontier) {
                    for (String c : callers.getOrDefault(f, List.of())) {
                        if (!c.equals(s) && d.putIfAbsent(c, h) == null) next.add(c);
                    }
                }
                frontier = next;
            }
            return d;
        }
    }

    /** Fault clusters plus noise, as alert records in emission order. */
    static final class AlertStream {
        static Map<String, String> CLUSTER_OF = Map.of();

        static List<Alert> generate(Graph g, int perMin, int minutes, SplittableRandom rnd) {
            List<Alert> out = new ArrayList<>();
            long end = T0 + minutes * MIN;
            long target = (long) perMin * minutes;
            CLUSTER_OF = g.cluster;
            // Faults arrive as a Poisson process; the rate is calibrated on dry runs (records emitted before the
            // end of the run) to meet the target.
            List<Alert> pending = new ArrayList<>();
            double faultsPerMs = target * 0.95 / 60.0 / (minutes * MIN);
            long seed = rnd.nextLong();
            for (int pass = 0; pass < 3; pass++) {
                pending = new ArrayList<>();
                SplittableRandom r = new SplittableRandom(seed);
                long t = T0;
                while (true) {
                    t += (long) (-Math.log(1 - r.nextDouble()) / faultsPerMs);
                    if (t >= end) break;
                    fault(g, t, end, r, pending);
                }
                long emittedBeforeEnd = pending.stream().filter(x -> emitted(x) < end).count();
                if (pass < 2) faultsPerMs *= target * 0.95 / Math.max(1, emittedBeforeEnd);
            }
            long noise = (long) (target * 0.05 / 2);
            for (long k = 0; k < noise; k++) {
                String s = g.services.get(rnd.nextInt(g.services.size()));
                long at = T0 + rnd.nextLong(minutes * MIN);
                Alert f = alert(s, SIGNALS[rnd.nextInt(SIGNALS.length)], at, 0.9 + 0.1 * rnd.nextDouble());
                pending.add(f);
                Alert r = copy(f);                      // noise is short: resolves 1-3 minutes later
                r.status = Alert.RESOLVED;
                r.endsAt = at + MIN + rnd.nextLong(2 * MIN);
                r.windowStart = r.endsAt - 10_000;
                r.windowEnd = r.endsAt;
                pending.add(r);
            }
            for (Alert x : pending) if (emitted(x) < end) out.add(x);
            out.sort(Comparator.comparingLong(CorrelationBenchmark::emitted));
            return out;
        }

        /** One fault cluster; returns the number of records, added to {@code sink} when not null. */
        static int fault(Graph g, long at, long end, SplittableRandom rnd, List<Alert> sink) {
            boolean store = rnd.nextInt(3) < 2 && g.datastores > 0;
            String root;
            do {
                root = store ? g.stores.get(rnd.nextInt(g.stores.size()))
                        : g.services.get(rnd.nextInt(g.services.size()));
            } while (!store && g.stores.contains(root));
            long duration = (3 + rnd.nextInt(8)) * MIN;
            Map<String, Integer> affected = new java.util.LinkedHashMap<>();
            affected.put(root, 0);
            List<Map.Entry<String, Integer>> up = new ArrayList<>(g.callersWithin(root, 3).entrySet());
            // Symptoms fade with distance: 80 % of direct callers, 50 % at 2 hops, 25 % at 3; at most 40.
            for (Map.Entry<String, Integer> e : up) {
                double p = e.getValue() == 1 ? 0.8 : e.getValue() == 2 ? 0.5 : 0.25;
                if (affected.size() < 40 && rnd.nextDouble() < p) affected.put(e.getKey(), e.getValue());
            }
            int records = 0;
            for (Map.Entry<String, Integer> e : affected.entrySet()) {
                int signals = 1 + rnd.nextInt(3);
                for (int k = 0; k < signals; k++) {
                    long start = at + e.getValue() * 20_000L + rnd.nextInt(20_000); // onset grows with distance
                    long stop = at + duration + rnd.nextInt(60_000);
                    double score = Math.max(0.9, 0.999 - 0.02 * e.getValue() - 0.01 * rnd.nextDouble());
                    Alert f = alert(e.getKey(), SIGNALS[k], start, score);
                    records++;
                    if (sink != null) sink.add(f);
                    for (long u = start + 5 * MIN; u < stop && u < end; u += 5 * MIN) {
                        records++;
                        if (sink != null) {
                            Alert upd = copy(f);
                            upd.windowStart = u - 10_000;
                            upd.windowEnd = u;
                            sink.add(upd);
                        }
                    }
                    records++;
                    if (sink != null) {
                        Alert r = copy(f);
                        r.status = Alert.RESOLVED;
                        r.endsAt = stop;
                        r.windowStart = stop - 10_000;
                        r.windowEnd = stop;
                        sink.add(r);
                    }
                }
            }
            return records;
        }

        static Alert alert(String service, String signal, long startsAt, double score) {
            Alert a = new Alert();
            a.alertId = Alert.fingerprint(service, "_all", signal, "seasonal");
            a.status = Alert.FIRING;
            a.severity = "warning";
            a.detector = "seasonal";
            a.signal = signal;
            a.service = service;
            a.endpoint = "_all";
            a.value = 500;
            a.expected = 100;
            a.lower = 50;
            a.upper = 200;
            a.score = score;
            a.startsAt = startsAt;
            a.windowStart = startsAt;
            a.windowEnd = startsAt + 10_000;
            a.modelVersion = "seasonal-v1";
            String c = CLUSTER_OF.get(service);
            if (c != null) a.labels.put("cluster", c);
            return a;
        }

        static Alert copy(Alert a) {
            return Alert.fromJson(a.toJson());
        }
    }

}
