package io.hawkeye.jobs.correlate;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.jobs.detect.DetectionConfig;
import io.hawkeye.jobs.detect.DetectionWorkflow;
import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.jobs.percentiles.WindowSpec;
import io.hawkeye.jobs.percentiles.WindowStatsWorkflow;
import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.telemetry.TelemetryParser;
import io.hawkeye.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

/**
 * Test fixture of the streaming correlation evaluation: simulates one fault, replays the telemetry through the
 * job's own workflows on the test's MiniCluster (parallelism 1, see {@link #replay}) — {@link WindowStatsWorkflow} → {@link DetectionWorkflow} (the
 * seasonal detector learns on the simulated normal period) → {@link CorrelationWorkflow} (static edges of the
 * topology plus the graph learned from the spans) — and measures what the on-call would see for the fault.
 *
 * <p>The simulated telemetry is handed to the job through a static map read by the source's map function
 * (the MiniCluster runs in the test JVM); {@code fromData} would ship hundreds of thousands of records inside
 * the job graph.
 */
final class StreamingFaultRun {
    static final Instant START = Instant.parse("2024-03-04T10:00:00Z");
    private static final Map<String, List<TelemetryEvent>> DATA = new ConcurrentHashMap<>();
    static final Duration TAIL = Duration.ofMinutes(2);
    /** Parallelism of the replay ({@code -Dhawkeye.correlation.eval.parallelism}, default 1). */
    static final int PARALLELISM = Integer.getInteger("hawkeye.correlation.eval.parallelism", 1);
    /** Only the graph learned from the spans, no static edges ({@code -Dhawkeye.correlation.eval.learned-only}). */
    static final boolean LEARNED_ONLY = Boolean.getBoolean("hawkeye.correlation.eval.learned-only");

    record Case(Path topology, Topology.FaultType type, String service, long seed) {
        String label() {
            String t = topology.getFileName().toString().replace(".yaml", "");
            return t + " " + type.name().toLowerCase() + " " + service;
        }
    }

    /**
     * Run settings: simulated normal period (the detector learns in it), fault duration, sampling, window, and
     * whether the services send client spans and the job runs the capability call-edges.
     */
    record Settings(Duration normal, Duration fault, double sampling, Duration window, boolean callEdges) {
        static Settings defaults() {
            return new Settings(Duration.ofMinutes(10), Duration.ofMinutes(5), 0.25, Duration.ofSeconds(10), false);
        }

        Settings withCallEdges() {
            return new Settings(normal, fault, sampling, window, true);
        }
    }

    /**
     * What one run produced. Times in event-time milliseconds.
     *
     * @param faultAlerts      alert occurrences ({@code alert_id|starts_at}) starting at or after the fault start
     * @param faultIncidents   surviving incidents (after merges) holding those occurrences
     * @param noiseIncidents   surviving incidents opened before the fault (detector false positives)
     * @param noiseAlerts      alert occurrences starting before the fault
     * @param topCause         top cause of the (surviving) incident holding most fault alerts, in its last own
     *                         version before the end of the measured period (null: no alerts)
     * @param rank             rank of the true root cause in that version's root_causes (0: absent)
     * @param detectMs         fault start → emission (window end) of the first fault alert
     * @param toIncidentMs     first fault alert emitted → its incident (0 when its first record carries an
     *                         incident_id, -1 otherwise)
     * @param toRightCauseMs   first fault alert emitted → first version of the fault incident (or of an incident
     *                         later merged into it) whose top cause is the root cause (-1: never); the version's
     *                         updated_at is the latest event time of its members, so this is an upper bound
     * @param rootAlerted      whether the root-cause service itself raised an alert
     * @param incidentServices services of the fault incident
     * @param members          the fault incident's alerts: service/signal@onset-after-fault(score)
     */
    record Result(Case c, int faultAlerts, int faultIncidents, int noiseIncidents, int noiseAlerts, String topCause,
            int rank, long detectMs, long toIncidentMs, long toRightCauseMs, boolean rootAlerted,
            List<String> incidentServices, String members, double seconds) {}

    private StreamingFaultRun() {}

    static Result run(Case c, Settings s) throws Exception {
        long t0 = System.nanoTime();
        Topology base = Topology.load(c.topology()).withSampling(s.sampling(), 0);
        // The run goes on (fault still on) for TAIL after the measured period, so that the bounded run's end —
        // the final watermark resolves every alert for lack of data — stays out of the measurement.
        Topology.Fault fault = Topology.Fault.typical(c.type(), c.service(), s.normal(), s.fault().plus(TAIL));
        Topology t = new Topology(base.name(), base.timezone(), base.spanSampleRate(), base.maxSpansPerSecond(),
                base.metricsInterval(), base.services(), base.entries(), List.of(fault));
        List<TelemetryEvent> events = simulate(t, c.seed(), s.normal().plus(s.fault()).plus(TAIL), s.callEdges());
        String key = c.label() + "#" + c.seed();
        DATA.put(key, events);
        try {
            Result r = replay(c, s, key, events.size(), CorrelationConfig.staticEdges(base));
            return new Result(r.c(), r.faultAlerts(), r.faultIncidents(), r.noiseIncidents(), r.noiseAlerts(),
                    r.topCause(), r.rank(), r.detectMs(), r.toIncidentMs(), r.toRightCauseMs(), r.rootAlerted(),
                    r.incidentServices(), r.members(), (System.nanoTime() - t0) / 1e9);
        } finally {
            DATA.remove(key);
        }
    }

    private static List<TelemetryEvent> simulate(Topology t, long seed, Duration length, boolean clientSpans) {
        List<TelemetryEvent> events = new ArrayList<>();
        TelemetryParser parser = new TelemetryParser(new TelemetryParser.Config(
                TelemetryParser.Config.DEFAULT_MAX_RECORD_BYTES, 0));
        TelemetryParser.Handler handler = TelemetryEvent.handler(e -> {
            if (e.deadLetter != null) {
                throw new IllegalStateException("simulator produced bad telemetry: " + e.deadLetter.detail);
            }
            events.add(e);
        });
        try (TelemetrySink sink = (k, json, ts) ->
                parser.parse(json.getBytes(StandardCharsets.UTF_8), "sim", 0, 0, 0, handler)) {
            Simulation simulation = new Simulation(t, seed, START);
            simulation.setClientSpans(clientSpans);
            simulation.run(length, sink);
        }
        events.sort(Comparator.comparingLong(TelemetryEvent::eventTime)); // stable: simulator order within a ms
        return events;
    }

    private static Result replay(Case c, Settings s, String key, int n, List<String> staticEdges) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        // Parallelism 1 by default; -Dhawkeye.correlation.eval.parallelism=2 runs the window, detection and graph
        // operators on 2 subtasks, where a bounded replay lets one subtask run minutes of event time ahead of the
        // other (the correlator aligns its inputs on event time, so it must still group and rank the same).
        env.setParallelism(PARALLELISM);
        DataStream<TelemetryEvent> telemetry = env.fromSequence(0, n - 1).setParallelism(1)
                .map(new FromStatic(key)).returns(TypeInformation.of(TelemetryEvent.class)).setParallelism(1)
                .assignTimestampsAndWatermarks(WindowStatsWorkflow.watermarks(Duration.ofSeconds(2), Duration.ZERO, Duration.ZERO))
                .setParallelism(1);
        WindowStatsWorkflow.Outputs stats = WindowStatsWorkflow.build(telemetry, WindowSpec.tumbling(s.window()),
                s.callEdges());
        DataStream<Alert> alerts = DetectionWorkflow.build(stats.windowStats(), stats.metricStats(),
                stats.callEdges(), null, DetectionConfig.defaults()).alerts();
        CorrelationConfig config = new CorrelationConfig(Duration.ofMinutes(10).toMillis(), 2,
                Duration.ofMinutes(5).toMillis(), Duration.ofHours(1).toMillis(), s.window().toMillis(), true,
                LEARNED_ONLY ? List.of() : staticEdges, 5, Duration.ofDays(1).toMillis());
        CorrelationWorkflow.Outputs out = CorrelationWorkflow.build(stats.spans(), alerts, config);
        CloseableIterator<Incident> incidentIt = out.incidents().collectAsync();
        CloseableIterator<Alert> annotatedIt = out.annotatedAlerts().collectAsync();
        env.execute("correlation evaluation " + c.label());

        List<Incident> versions = new ArrayList<>();
        incidentIt.forEachRemaining(versions::add);
        Map<String, Alert> occurrences = new LinkedHashMap<>();   // last annotation per occurrence
        Map<String, Alert> firstRecord = new HashMap<>();          // its first record, as annotated on arrival
        annotatedIt.forEachRemaining(a -> {
            occurrences.put(a.documentId(), a);
            firstRecord.putIfAbsent(a.documentId(), a);
        });
        return measure(c, s, versions, occurrences, firstRecord);
    }

    static Result measure(Case c, Settings s, List<Incident> versions, Map<String, Alert> occurrences,
            Map<String, Alert> firstRecord) {
        long faultStart = START.toEpochMilli() + s.normal().toMillis();
        long faultEnd = faultStart + s.fault().toMillis();
        Map<String, Long> firstSeen = new HashMap<>();
        firstRecord.forEach((k, a) -> firstSeen.put(k, emitted(a)));
        Map<String, Incident> last = new HashMap<>();
        for (Incident i : versions) last.put(i.incidentId, i);
        Map<String, Integer> faultCount = new LinkedHashMap<>();
        int faultAlerts = 0, noiseAlerts = 0;
        Alert first = null;
        boolean rootAlerted = false;
        java.util.Set<String> noise = new java.util.TreeSet<>();
        for (Alert a : occurrences.values()) {
            String surviving = surviving(a.incidentId, last);
            if (a.startsAt >= faultEnd) continue; // the tail
            if (a.startsAt >= faultStart) {
                faultAlerts++;
                faultCount.merge(surviving, 1, Integer::sum);
                if (first == null || firstSeen.get(a.documentId()) < firstSeen.get(first.documentId())) first = a;
                if (a.service.equals(c.service())) rootAlerted = true;
            } else {
                noiseAlerts++;
                noise.add(surviving);
            }
        }
        noise.removeAll(faultCount.keySet());
        if (first == null) {
            return new Result(c, 0, 0, noise.size(), noiseAlerts, null, 0, -1, -1, -1, false, List.of(), "", 0);
        }
        String main = faultCount.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        // What the on-call sees while the fault is on: the last version of the fault incident before the end of
        // the measured period (the fault goes on in the tail).
        Incident fin = last.get(main);
        for (Incident i : versions) {
            // The surviving incident's own versions only: an incident merged into it is emitted once more (as
            // resolved, merged_into) with its own, smaller member set.
            if (i.updatedAt < faultEnd && main.equals(i.incidentId)) fin = i;
        }
        int rank = 0;
        for (int k = 0; k < fin.rootCauses.size(); k++) {
            if (fin.rootCauses.get(k).service.equals(c.service())) {
                rank = k + 1;
                break;
            }
        }
        long firstEmitted = firstSeen.get(first.documentId());
        // The incident operator emits the incident in the same call that annotates the alert: the first record
        // of the first fault alert carries its incident_id, i.e. 0 windows after the alert (event time).
        long toIncident = firstRecord.get(first.documentId()).incidentId != null ? 0 : -1;
        long toRight = -1;
        for (Incident i : versions) {
            if (i.updatedAt >= faultStart && i.updatedAt < faultEnd && c.service().equals(i.topCause)
                    && i.mergedInto == null && main.equals(surviving(i.incidentId, last))) {
                toRight = Math.max(0, i.updatedAt - firstEmitted);
                break;
            }
        }
        StringBuilder members = new StringBuilder();
        for (Alert a : occurrences.values()) {
            if (a.startsAt >= faultStart && a.startsAt < faultEnd && main.equals(surviving(a.incidentId, last))) {
                members.append(String.format(java.util.Locale.ROOT, " %s/%s@%+ds(%.3f)", a.service, a.signal,
                        (a.startsAt - faultStart) / 1000, a.score));
            }
        }
        members.append("\n    measured version (updated_at +").append((fin.updatedAt - faultStart) / 1000)
                .append("s) alerts ").append(fin.alertIds.size()).append(", ranking:");
        for (Incident.Cause rc : fin.rootCauses) {
            members.append("\n      ").append(rc.service).append(' ').append(rc.score).append(' ')
                    .append(rc.explanation);
        }
        return new Result(c, faultAlerts, faultCount.size(), noise.size(), noiseAlerts, fin.topCause, rank,
                firstEmitted - faultStart, toIncident, toRight, rootAlerted, fin.services, members.toString(), 0);
    }

    /** When the detector emitted the alert: the end of the window at which it fired (event time). */
    private static long emitted(Alert a) {
        return Math.max(a.startsAt, a.windowEnd);
    }

    private static String surviving(String id, Map<String, Incident> last) {
        String cur = id;
        for (int guard = 0; guard < 1000; guard++) {
            Incident i = last.get(cur);
            if (i == null || i.mergedInto == null) return cur;
            cur = i.mergedInto;
        }
        return cur;
    }

    /** Source map: index → the simulated event of this run. */
    static final class FromStatic implements MapFunction<Long, TelemetryEvent> {
        private static final long serialVersionUID = 1L;
        private final String key;

        FromStatic(String key) {
            this.key = key;
        }

        @Override
        public TelemetryEvent map(Long i) {
            return DATA.get(key).get(i.intValue());
        }
    }
}
