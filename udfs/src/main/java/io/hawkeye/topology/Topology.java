package io.hawkeye.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A validated simulator topology: services with endpoints and a call graph, entry traffic and scheduled
 * faults. Built only by {@link #load(Path)} / {@link #parse(String)}, which apply defaults and reject
 * inconsistent input (see {@link TopologyLoader}); the YAML format is documented in {@code docs/simulator.md}.
 *
 * <p>Immutable. Maps keep the YAML order so that iteration, and hence the simulation, is deterministic.
 *
 * @param name              free-form name of the topology
 * @param timezone          zone in which {@code peak_hour} and weekends are interpreted
 * @param spanSampleRate    fraction of traces whose spans are emitted (whole traces are kept or dropped)
 * @param maxSpansPerSecond upper bound on emitted spans per simulated second, 0 = unlimited
 * @param metricsInterval   simulated time between metric samples
 * @param services          by name, in YAML order
 * @param entries           entry traffic, one per entry endpoint
 * @param faults            scheduled faults, in YAML order
 */
public record Topology(
        String name,
        ZoneId timezone,
        double spanSampleRate,
        int maxSpansPerSecond,
        Duration metricsInterval,
        Map<String, Service> services,
        List<Entry> entries,
        List<Fault> faults) {

    public Topology {
        services = Collections.unmodifiableMap(new LinkedHashMap<>(services));
        entries = List.copyOf(entries);
        faults = List.copyOf(faults);
    }

    /** Reads and validates a YAML topology file. */
    public static Topology load(Path file) {
        try {
            return TopologyLoader.parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read topology " + file, e);
        }
    }

    /** Parses and validates a YAML topology document. */
    public static Topology parse(String yaml) {
        return TopologyLoader.parse(yaml, "<yaml>");
    }

    /** A copy with another fault schedule (e.g. the demo's). */
    public Topology withFaults(List<Fault> newFaults) {
        return new Topology(name, timezone, spanSampleRate, maxSpansPerSecond, metricsInterval, services, entries,
                newFaults);
    }

    /** A copy with other sampling settings (e.g. overridden on the command line). */
    public Topology withSampling(double spanSampleRate, int maxSpansPerSecond) {
        if (!(spanSampleRate > 0 && spanSampleRate <= 1) || maxSpansPerSecond < 0) {
            throw new IllegalArgumentException("need span sample rate in (0, 1] and max spans per second >= 0");
        }
        return new Topology(name, timezone, spanSampleRate, maxSpansPerSecond, metricsInterval, services, entries,
                faults);
    }

    /** @throws IllegalArgumentException for an unknown service */
    public Service service(String name) {
        Service s = services.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown service '" + name + "'");
        }
        return s;
    }

    /** Services that call {@code service} directly, in YAML order. */
    public Set<String> directCallers(String service) {
        Set<String> out = new LinkedHashSet<>();
        for (Service s : services.values()) {
            for (Endpoint e : s.endpoints().values()) {
                for (Call c : e.calls()) {
                    if (c.service().equals(service) && !s.name().equals(service)) {
                        out.add(s.name());
                    }
                }
            }
        }
        return out;
    }

    /** Services {@code service} calls directly, in YAML order. */
    public Set<String> directCallees(String service) {
        Set<String> out = new LinkedHashSet<>();
        for (Endpoint e : service(service).endpoints().values()) {
            for (Call c : e.calls()) {
                if (!c.service().equals(service)) {
                    out.add(c.service());
                }
            }
        }
        return out;
    }

    /** {@code service} followed by its transitive callers, breadth first (nearest first). */
    public List<String> withTransitiveCallers(String service) {
        return closure(service, true);
    }

    /** {@code service} followed by its transitive callees, breadth first (nearest first). */
    public List<String> withTransitiveCallees(String service) {
        return closure(service, false);
    }

    private List<String> closure(String start, boolean upstream) {
        Set<String> seen = new LinkedHashSet<>();
        Deque<String> queue = new ArrayDeque<>();
        seen.add(start);
        queue.add(start);
        while (!queue.isEmpty()) {
            String s = queue.poll();
            for (String next : upstream ? directCallers(s) : directCallees(s)) {
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return new ArrayList<>(seen);
    }

    /** Service time distributions; all times in milliseconds. */
    public enum Distribution {
        EXPONENTIAL,
        LOGNORMAL,
        CONSTANT
    }

    /**
     * Per-request processing time of one replica, excluding queueing and downstream calls.
     * The per-replica service rate is μ = 1 / mean.
     *
     * @param medianMs only for lognormal (its mean is median·e^{σ²/2})
     * @param sigma    only for lognormal: standard deviation of ln(time)
     * @param meanMs   the mean for every distribution (derived for lognormal)
     */
    public record ServiceTime(Distribution distribution, double medianMs, double sigma, double meanMs) {

        public static ServiceTime exponential(double meanMs) {
            return new ServiceTime(Distribution.EXPONENTIAL, meanMs * Math.log(2), 0, meanMs);
        }

        public static ServiceTime lognormal(double medianMs, double sigma) {
            return new ServiceTime(Distribution.LOGNORMAL, medianMs, sigma, medianMs * Math.exp(sigma * sigma / 2));
        }

        public static ServiceTime constant(double ms) {
            return new ServiceTime(Distribution.CONSTANT, ms, 0, ms);
        }

        /** Per-replica service rate μ, in requests per second. */
        public double serviceRatePerSecond() {
            return 1000.0 / meanMs;
        }

        /** One sample, in ms. */
        public double sampleMs(SplittableRandom rng) {
            return switch (distribution) {
                case EXPONENTIAL -> -meanMs * Math.log(1 - rng.nextDouble());
                case LOGNORMAL -> medianMs * Math.exp(sigma * Gaussian.next(rng));
                case CONSTANT -> meanMs;
            };
        }
    }

    /**
     * A downstream call made by an endpoint: {@code count} sequential calls, each made with
     * {@code probability}. Expected fan-out = count · probability.
     */
    public record Call(String service, String endpoint, double probability, int count) {
        public double expectedCalls() {
            return probability * count;
        }
    }

    /** An endpoint of a service and the calls each request to it makes, in order. */
    public record Endpoint(String name, List<Call> calls) {
        public Endpoint {
            calls = List.copyOf(calls);
        }
    }

    /**
     * A service.
     *
     * @param replicas         number of instances (M/M/c servers) before faults
     * @param errorRate        probability that a request fails on its own (independently of downstream)
     * @param timeoutMs        a request slower than this ends as an error after exactly this long
     * @param errorPropagation probability that a failed downstream call fails this request too
     */
    public record Service(
            String name,
            int replicas,
            ServiceTime serviceTime,
            double errorRate,
            double timeoutMs,
            double errorPropagation,
            Map<String, Endpoint> endpoints) {
        public Service {
            endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        }

        public Endpoint endpoint(String name) {
            return Objects.requireNonNull(endpoints.get(name), () -> "unknown endpoint " + this.name + " " + name);
        }
    }

    /**
     * Entry traffic into one endpoint. Rate at time t:
     * rps · (1 + dailyAmplitude·cos(2π(hour − peakHour)/24)) · (weekend ? weekendFactor : 1)
     * · (1 + trendPerDay·days) · max(0, 1 + noise·N(0,1)).
     */
    public record Entry(
            String service,
            String endpoint,
            double rps,
            double dailyAmplitude,
            double peakHour,
            double weekendFactor,
            double trendPerDay,
            double noise) {}

    /** Fault kinds; see docs/simulator.md for their effect. */
    public enum FaultType {
        LATENCY,
        ERROR_BURST,
        CAPACITY_LOSS,
        TRAFFIC_DROP,
        /** Time added on the way to the service: every call into it takes {@code extraMs} longer for its caller. */
        NETWORK_DELAY;

        public String yamlName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * A scheduled fault, active in [start, start + duration) relative to the simulation start.
     * Only the parameters of its type are meaningful; the others hold neutral values.
     *
     * @param endpoint     traffic_drop only: restrict to this entry endpoint (null = every entry of the service)
     * @param extraMs      latency: added to every service time sample; network_delay: added to every call into the
     *                     service, outside it (its own spans are unchanged)
     * @param multiplier   latency: multiplies every service time sample
     * @param errorRate    error_burst: extra probability that a request to the service fails
     * @param replicasLost capacity_loss: instances removed (the highest-numbered ones)
     * @param factor       traffic_drop: multiplier on entry traffic, e.g. 0.3
     */
    public record Fault(
            FaultType type,
            String service,
            String endpoint,
            Duration start,
            Duration duration,
            double extraMs,
            double multiplier,
            double errorRate,
            int replicasLost,
            double factor) {

        /**
         * One clear fault of {@code type} at {@code service} (every endpoint), {@code start} after the run's start,
         * for {@code duration}: latency ×3, 30 % errors, one replica lost, or traffic down to 40 %. The faults of
         * the fault-scoring tests and of the simulated root-cause cases.
         */
        public static Fault typical(FaultType type, String service, Duration start, Duration duration) {
            return switch (type) {
                case LATENCY -> new Fault(type, service, null, start, duration, 0, 3.0, 0, 0, 1);
                case ERROR_BURST -> new Fault(type, service, null, start, duration, 0, 1, 0.3, 0, 1);
                case CAPACITY_LOSS -> new Fault(type, service, null, start, duration, 0, 1, 0, 1, 1);
                case TRAFFIC_DROP -> new Fault(type, service, null, start, duration, 0, 1, 0, 0, 0.4);
                case NETWORK_DELAY -> new Fault(type, service, null, start, duration, 50, 1, 0, 0, 1);
            };
        }

        public Duration end() {
            return start.plus(duration);
        }

        /** The same fault starting {@code offset} later. */
        public Fault delayedBy(Duration offset) {
            return new Fault(type, service, endpoint, start.plus(offset), duration, extraMs, multiplier, errorRate,
                    replicasLost, factor);
        }

        public boolean activeAt(long offsetMillis) {
            return offsetMillis >= start.toMillis() && offsetMillis < end().toMillis();
        }

        /** The type-specific parameters, for the ground truth file. */
        public Map<String, Object> params() {
            Map<String, Object> p = new LinkedHashMap<>();
            switch (type) {
                case LATENCY -> {
                    p.put("extra_ms", extraMs);
                    p.put("multiplier", multiplier);
                }
                case ERROR_BURST -> p.put("error_rate", errorRate);
                case NETWORK_DELAY -> p.put("extra_ms", extraMs);
                case CAPACITY_LOSS -> p.put("replicas_lost", replicasLost);
                case TRAFFIC_DROP -> {
                    p.put("factor", factor);
                    if (endpoint != null) {
                        p.put("endpoint", endpoint);
                    }
                }
            }
            return p;
        }
    }
}
