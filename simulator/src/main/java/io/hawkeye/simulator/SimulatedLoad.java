package io.hawkeye.simulator;

import io.hawkeye.topology.Topology;
import io.hawkeye.topology.Topology.Call;
import io.hawkeye.topology.Topology.Entry;
import io.hawkeye.topology.Topology.Fault;
import io.hawkeye.topology.Topology.FaultType;
import io.hawkeye.topology.TrafficModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The load of a simulated topology per service and second, without simulating requests: the simulator's own
 * {@link TrafficModel} (daily and weekly seasonality, trend, per-second noise, traffic_drop faults — whose factor
 * may exceed 1, i.e. spikes) for the entry rates, propagated through the call graph as the simulator does (rate ×
 * count × probability per call), and the simulator's fault semantics for live replicas (capacity_loss) and mean
 * service times (latency). Used where simulating every span would be too slow: the scaling evaluation over
 * days and the warm-up tests.
 */
public final class SimulatedLoad {
    private final Topology topology;
    private final long startMillis;
    private final TrafficModel traffic;
    private final SplittableRandom rng;
    private final List<String> services;
    private final Map<String, Integer> index = new LinkedHashMap<>();
    /** Per entry, the services it reaches and the expected calls per entry request, as [service, calls]. */
    private final double[][] perEntry;

    public SimulatedLoad(Topology topology, Instant start, long seed) {
        this.topology = topology;
        this.startMillis = start.toEpochMilli();
        this.traffic = new TrafficModel(topology, start);
        this.rng = new SplittableRandom(seed);
        this.services = List.copyOf(topology.services().keySet());
        for (int i = 0; i < services.size(); i++) index.put(services.get(i), i);
        List<Entry> entries = topology.entries();
        perEntry = new double[entries.size()][];
        for (int e = 0; e < entries.size(); e++) {
            double[] calls = new double[services.size()];
            push(entries.get(e).service(), entries.get(e).endpoint(), 1.0, calls);
            perEntry[e] = calls;
        }
    }

    private void push(String svc, String ep, double rate, double[] out) {
        out[index.get(svc)] += rate;
        for (Call c : topology.service(svc).endpoint(ep).calls()) {
            push(c.service(), c.endpoint(), rate * c.expectedCalls(), out);
        }
    }

    public Topology topology() {
        return topology;
    }

    public List<String> services() {
        return services;
    }

    public int index(String service) {
        return index.get(service);
    }

    /**
     * Arrival rates (requests/s) of every service in the second starting at {@code epochMillis}: one draw of the
     * entry noise per entry, as the simulator makes per step. Call once per second, in order.
     */
    public double[] rates(long epochMillis) {
        double[] entry = traffic.rates(epochMillis, rng);
        double[] out = new double[services.size()];
        for (int e = 0; e < entry.length; e++) {
            for (int s = 0; s < out.length; s++) out[s] += entry[e] * perEntry[e][s];
        }
        return out;
    }

    /** Live replicas of a service running {@code replicas} at {@code epochMillis}: minus active capacity losses. */
    public int liveReplicas(String service, int replicas, long epochMillis) {
        int lost = 0;
        for (Fault f : active(service, FaultType.CAPACITY_LOSS, epochMillis)) lost += f.replicasLost();
        return Math.max(0, replicas - lost);
    }

    /** Mean service time (ms) of a service at {@code epochMillis}, with its active latency faults. */
    public double meanServiceMs(String service, long epochMillis) {
        double mult = 1;
        double extra = 0;
        for (Fault f : active(service, FaultType.LATENCY, epochMillis)) {
            mult *= f.multiplier();
            extra += f.extraMs();
        }
        return topology.service(service).serviceTime().meanMs() * mult + extra;
    }

    /** The service-time multiplier of active latency faults (1 without). */
    public double latencyMultiplier(String service, long epochMillis) {
        double mult = 1;
        for (Fault f : active(service, FaultType.LATENCY, epochMillis)) mult *= f.multiplier();
        return mult;
    }

    /** Added service time (ms) of active latency faults. */
    public double latencyExtraMs(String service, long epochMillis) {
        double extra = 0;
        for (Fault f : active(service, FaultType.LATENCY, epochMillis)) extra += f.extraMs();
        return extra;
    }

    private List<Fault> active(String service, FaultType type, long epochMillis) {
        List<Fault> out = new ArrayList<>();
        for (Fault f : topology.faults()) {
            if (f.type() == type && f.service().equals(service) && f.activeAt(epochMillis - startMillis)) out.add(f);
        }
        return out;
    }

    /** A copy of {@code t} with other faults. */
    public static Topology withFaults(Topology t, List<Fault> faults) {
        return new Topology(t.name(), t.timezone(), t.spanSampleRate(), t.maxSpansPerSecond(), t.metricsInterval(),
                t.services(), t.entries(), faults);
    }
}
