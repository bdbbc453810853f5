package io.hawkeye.simulator;

import io.hawkeye.telemetry.Signals;
import io.hawkeye.topology.Gaussian;
import io.hawkeye.topology.Topology;
import io.hawkeye.topology.Topology.Call;
import io.hawkeye.topology.Topology.Endpoint;
import io.hawkeye.topology.Topology.Entry;
import io.hawkeye.topology.Topology.Service;
import io.hawkeye.topology.TrafficModel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The telemetry simulator ("digital twin"): steps a {@link Topology} through simulated time and emits span
 * and metric JSON records to a {@link TelemetrySink} in event-time order.
 *
 * <p>Each step is one simulated second. Per step: entry rates come from the {@link TrafficModel}; the
 * expected arrival rate of every endpoint follows through the call graph (rate × count × probability of
 * each call, in topological order); every {@link ServiceModel} updates its queue; then Poisson-many
 * requests arrive at each entry, spread uniformly over the second, and each is simulated as a trace:
 * a span's duration is its wait + service time + the durations of its downstream calls, made one after the
 * other (the caller's own processing is split, half before and half after its calls). A downstream error
 * fails the caller with the caller's {@code error_propagation} probability and stops its remaining calls;
 * a span longer than its service's {@code timeout_ms} ends as an error after exactly that long. A service
 * with no live replica emits no span: its callers see an immediate (1 ms) connection error.
 *
 * <p>Every {@code metrics_interval} (10 s by default) it emits {@code cpu_utilization} per live instance
 * (≈ ρ + N(0, 0.03), clamped to [0, 1]), and {@code replicas} and {@code queue_depth} per service (their
 * {@code instance} field is the service name). Record formats: docs/simulator.md.
 *
 * <p>Determinism: all randomness comes from one {@link SplittableRandom} seeded with {@code seed} and is
 * consumed in a fixed order (YAML order of services and entries), so (topology, seed, start) determine the
 * output byte for byte. A span's {@code ts} is its start; spans are buffered until their step is complete
 * so that children (which start later than their parents, possibly in a later second) come out in order.
 *
 * <p>Not thread-safe; {@link #stop()} may be called from another thread.
 */
public final class Simulation {

    /** Simulated time per step. */
    public static final long STEP_MILLIS = 1000;
    /** Duration of a call to a service without live replicas. */
    static final double CONNECTION_REFUSED_MS = 1.0;
    /** Standard deviation of the noise on cpu_utilization. */
    static final double CPU_NOISE = 0.03;

    private final Topology topology;
    private final long seed;
    private final Instant start;
    private final long startMillis;
    private final SplittableRandom rng;
    private final TrafficModel traffic;
    private final List<ServiceModel> services = new ArrayList<>();
    private final Map<String, ServiceModel> byName = new HashMap<>();
    /** Endpoints in topological order (every caller before its callees). */
    private final List<Node> nodes = new ArrayList<>();
    private final Node[] entryNodes;
    private final PriorityQueue<Pending> pending =
            new PriorityQueue<>((a, b) -> a.ts != b.ts ? Long.compare(a.ts, b.ts) : Long.compare(a.seq, b.seq));
    private final StringBuilder sb = new StringBuilder(256);

    private volatile boolean stopped;
    private Consumer<Progress> progressListener;
    private long step;
    private long seq;
    private long spans;
    private long metrics;
    private long requests;
    private double expectedSpansPerSecond;
    private boolean lastError;
    private boolean clientSpans;

    /**
     * @param topology a validated topology
     * @param seed     seed of all randomness
     * @param start    simulated instant of the first step (the fault offsets count from here)
     */
    public Simulation(Topology topology, long seed, Instant start) {
        this.topology = topology;
        this.seed = seed;
        this.start = start;
        this.startMillis = start.toEpochMilli();
        this.rng = new SplittableRandom(seed);
        this.traffic = new TrafficModel(topology, start);
        for (Service s : topology.services().values()) {
            ServiceModel m = new ServiceModel(s);
            services.add(m);
            byName.put(s.name(), m);
        }
        Map<String, Node> index = new HashMap<>();
        for (Service s : topology.services().values()) {
            for (Endpoint e : s.endpoints().values()) {
                order(s.name(), e.name(), index);
            }
        }
        java.util.Collections.reverse(nodes);
        List<Entry> entries = topology.entries();
        entryNodes = new Node[entries.size()];
        for (int i = 0; i < entryNodes.length; i++) {
            entryNodes[i] = index.get(entries.get(i).service() + " " + entries.get(i).endpoint());
        }
    }

    /** Post-order DFS; reversed afterwards into a topological order. The loader has rejected cycles. */
    private Node order(String svc, String ep, Map<String, Node> index) {
        String key = svc + " " + ep;
        Node existing = index.get(key);
        if (existing != null) {
            return existing;
        }
        Endpoint endpoint = topology.service(svc).endpoint(ep);
        Node n = new Node(byName.get(svc), endpoint);
        List<Node> callees = new ArrayList<>();
        for (Call c : endpoint.calls()) {
            callees.add(order(c.service(), c.endpoint(), index));
        }
        n.callees = callees.toArray(new Node[0]);
        index.put(key, n);
        nodes.add(n);
        return n;
    }

    public Topology topology() {
        return topology;
    }

    public long seed() {
        return seed;
    }

    public Instant start() {
        return start;
    }

    /**
     * Also emit, for every call, the caller's client span ({@code kind: client}, {@code callee}, its own
     * {@code span_id}; the callee's span is its child). Off by default: the output of a (topology, seed, start)
     * without client spans stays byte for byte what it was.
     */
    public void setClientSpans(boolean clientSpans) {
        this.clientSpans = clientSpans;
    }

    /** Called after every simulated step, on the simulating thread; keep it cheap. */
    public void setProgressListener(Consumer<Progress> listener) {
        this.progressListener = listener;
    }

    /** Ends {@link #run} after the current step. Safe to call from any thread. */
    public void stop() {
        stopped = true;
    }

    /**
     * Simulates {@code simulated} time (rounded up to whole steps) from where the previous run ended, and
     * flushes the sink at the end. Returns early, after a complete step, on {@link #stop()} or interrupt.
     * Spans still in flight at the end (children of requests that started before it) are emitted too, so a
     * later {@code run} may emit a few records with earlier timestamps than the last ones of this run.
     *
     * @return counters after the run
     */
    public Progress run(Duration simulated, TelemetrySink sink) {
        long steps = (simulated.toMillis() + STEP_MILLIS - 1) / STEP_MILLIS;
        long last = step + steps;
        while (step < last && !stopped && !Thread.currentThread().isInterrupted()) {
            step(sink);
        }
        drain(Long.MAX_VALUE, sink);
        sink.flush();
        return progress();
    }

    /** Counters so far. */
    public Progress progress() {
        return new Progress(Instant.ofEpochMilli(startMillis + step * STEP_MILLIS), step * STEP_MILLIS, requests,
                spans, metrics, expectedSpansPerSecond);
    }

    /**
     * Simulation counters.
     *
     * @param simulatedTime           instant the simulation has reached
     * @param simulatedMillis         simulated time elapsed
     * @param requests                entry requests simulated (sampled out ones included)
     * @param spans                   span records emitted or buffered
     * @param metrics                 metric records emitted or buffered
     * @param expectedSpansPerSecond  spans per simulated second at the current rates, before sampling
     */
    public record Progress(Instant simulatedTime, long simulatedMillis, long requests, long spans, long metrics,
                           double expectedSpansPerSecond) {
        public long events() {
            return spans + metrics;
        }
    }

    private void step(TelemetrySink sink) {
        long t0 = startMillis + step * STEP_MILLIS;
        long offset = step * STEP_MILLIS;
        double dt = STEP_MILLIS / 1000.0;

        double[] entryRates = traffic.rates(t0, rng);
        for (Node n : nodes) {
            n.rate = 0;
        }
        for (int i = 0; i < entryNodes.length; i++) {
            entryNodes[i].rate += entryRates[i];
        }
        Map<ServiceModel, Double> lambda = new HashMap<>();
        double totalRate = 0;
        for (Node n : nodes) { // callers first, so n.rate is final when visited
            List<Call> calls = n.endpoint.calls();
            for (int i = 0; i < calls.size(); i++) {
                n.callees[i].rate += n.rate * calls.get(i).expectedCalls();
            }
            lambda.merge(n.service, n.rate, Double::sum);
            totalRate += n.rate;
        }
        expectedSpansPerSecond = totalRate;
        for (ServiceModel s : services) {
            s.beginStep(lambda.getOrDefault(s, 0.0), topology.faults(), offset, dt);
        }

        long interval = topology.metricsInterval().toMillis();
        if (offset % interval == 0) {
            emitMetrics(t0);
        }

        double keep = topology.spanSampleRate();
        if (topology.maxSpansPerSecond() > 0 && totalRate > topology.maxSpansPerSecond()) {
            keep *= topology.maxSpansPerSecond() / totalRate;
        }
        for (int i = 0; i < entryNodes.length; i++) {
            long n = Poisson.sample(entryRates[i] * dt, rng);
            requests += n;
            for (long r = 0; r < n; r++) {
                double at = t0 + rng.nextDouble() * STEP_MILLIS;
                if (keep < 1 && rng.nextDouble() >= keep) {
                    continue;
                }
                long hi = rng.nextLong();
                long lo = rng.nextLong();
                String traceId = Json.hex(Json.hex(new StringBuilder(32), hi), lo).toString();
                simulate(entryNodes[i], at, null, traceId, null);
            }
        }
        step++;
        drain(t0 + STEP_MILLIS, sink);
        if (progressListener != null) {
            progressListener.accept(progress());
        }
    }

    /** Simulates one request to {@code n}; returns its duration in ms and leaves its outcome in lastError. */
    private double simulate(Node n, double startMs, String callerJson, String traceId, String parentId) {
        ServiceModel s = n.service;
        if (s.liveReplicas() == 0) {
            lastError = true;
            return CONNECTION_REFUSED_MS;
        }
        int instance = rng.nextInt(s.liveReplicas());
        String spanId = Json.hex(new StringBuilder(16), rng.nextLong()).toString();
        double wait = s.sampleWaitMs(rng);
        double own = s.sampleServiceMs(rng);
        boolean error = rng.nextDouble() < s.errorProbability();
        double cursor = startMs + wait + own / 2;
        double downstream = 0;
        List<Call> calls = n.endpoint.calls();
        outer:
        for (int i = 0; i < calls.size() && !error; i++) {
            Call c = calls.get(i);
            for (int k = 0; k < c.count(); k++) {
                if (c.probability() < 1 && rng.nextDouble() >= c.probability()) {
                    continue;
                }
                // A network delay in front of the callee: the call takes longer, the callee's own span does not.
                double delay = n.callees[i].service.networkDelayMs();
                String clientId = clientSpans ? Json.hex(new StringBuilder(16), rng.nextLong()).toString() : null;
                double d = simulate(n.callees[i], cursor + delay / 2, n.serviceJson, traceId,
                        clientSpans ? clientId : spanId) + delay;
                if (clientSpans) clientSpan(n, i, cursor, d, traceId, clientId, spanId, instance);
                cursor += d;
                downstream += d;
                if (lastError && rng.nextDouble() < s.spec.errorPropagation()) {
                    error = true;
                    break outer;
                }
            }
        }
        double duration = wait + own + downstream;
        if (duration > s.spec.timeoutMs()) {
            duration = s.spec.timeoutMs();
            error = true;
        }
        long ts = (long) Math.floor(startMs);
        sb.setLength(0);
        sb.append("{\"type\":\"span\",\"ts\":").append(ts)
                .append(",\"service\":").append(n.serviceJson)
                .append(",\"endpoint\":").append(n.endpointJson)
                .append(",\"duration_ms\":");
        Json.fixed(sb, duration, 3);
        sb.append(",\"status\":\"").append(error ? "error" : "ok").append('"');
        if (callerJson != null) {
            sb.append(",\"caller\":").append(callerJson);
        }
        sb.append(",\"instance\":");
        Json.string(sb, s.instanceNames[instance]);
        sb.append(",\"trace_id\":\"").append(traceId).append('"');
        sb.append(",\"span_id\":\"").append(spanId).append('"');
        if (parentId != null) {
            sb.append(",\"parent_id\":\"").append(parentId).append('"');
        }
        sb.append('}');
        enqueue(ts, s.spec.name(), sb.toString());
        spans++;
        lastError = error;
        return duration;
    }

    /** The caller's span of one call to {@code n.callees[i]} (call outcome in lastError). */
    private void clientSpan(Node n, int i, double startMs, double durationMs, String traceId, String clientId,
            String parentId, int instance) {
        long ts = (long) Math.floor(startMs);
        sb.setLength(0);
        sb.append("{\"type\":\"span\",\"kind\":\"client\",\"ts\":").append(ts)
                .append(",\"service\":").append(n.serviceJson)
                .append(",\"endpoint\":").append(n.callees[i].endpointJson)
                .append(",\"duration_ms\":");
        Json.fixed(sb, durationMs, 3);
        sb.append(",\"status\":\"").append(lastError ? "error" : "ok").append('"');
        sb.append(",\"callee\":").append(n.callees[i].serviceJson);
        sb.append(",\"instance\":");
        Json.string(sb, n.service.instanceNames[Math.min(instance, n.service.instanceNames.length - 1)]);
        sb.append(",\"trace_id\":\"").append(traceId).append('"');
        sb.append(",\"span_id\":\"").append(clientId).append('"');
        sb.append(",\"parent_id\":\"").append(parentId).append('"');
        sb.append('}');
        enqueue(ts, n.service.spec.name(), sb.toString());
        spans++;
    }

    private void emitMetrics(long ts) {
        for (ServiceModel s : services) {
            String name = s.spec.name();
            for (int i = 0; i < s.liveReplicas(); i++) {
                double cpu = Math.min(1, Math.max(0, s.busyFraction() + CPU_NOISE * Gaussian.next(rng)));
                metric(ts, name, s.instanceNames[i], Signals.CPU_UTILIZATION, cpu, "ratio");
            }
            metric(ts, name, name, Signals.REPLICAS, s.liveReplicas(), "count");
            metric(ts, name, name, Signals.QUEUE_DEPTH, s.queueDepth(), "count");
        }
    }

    private void metric(long ts, String service, String instance, String name, double value, String unit) {
        sb.setLength(0);
        sb.append("{\"type\":\"metric\",\"ts\":").append(ts).append(",\"service\":");
        Json.string(sb, service).append(",\"instance\":");
        Json.string(sb, instance).append(",\"name\":\"").append(name).append("\",\"value\":");
        Json.fixed(sb, value, 4).append(",\"unit\":\"").append(unit).append("\"}");
        enqueue(ts, service, sb.toString());
        metrics++;
    }

    private void enqueue(long ts, String key, String json) {
        pending.add(new Pending(ts, seq++, key, json));
    }

    /** Emits every buffered record with ts &lt; {@code before}. */
    private void drain(long before, TelemetrySink sink) {
        while (!pending.isEmpty() && pending.peek().ts < before) {
            Pending p = pending.poll();
            sink.emit(p.key, p.json, p.ts);
        }
    }

    private record Pending(long ts, long seq, String key, String json) {}

    /** One endpoint in the call graph, with its expected arrival rate in the current step. */
    private static final class Node {
        final ServiceModel service;
        final Endpoint endpoint;
        final String serviceJson;
        final String endpointJson;
        Node[] callees;
        double rate;

        Node(ServiceModel service, Endpoint endpoint) {
            this.service = service;
            this.endpoint = endpoint;
            this.serviceJson = Json.quote(service.spec.name());
            this.endpointJson = Json.quote(endpoint.name());
        }
    }
}
