package io.hawkeye.capacity;

import io.hawkeye.queueing.MMc;
import io.hawkeye.topology.Topology;
import io.hawkeye.topology.Topology.Call;
import io.hawkeye.topology.Topology.Endpoint;
import io.hawkeye.topology.Topology.Entry;
import io.hawkeye.topology.Topology.Service;
import io.hawkeye.topology.Topology.ServiceTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The analytic twin of a simulator {@link Topology} at a steady entry rate: expected arrival rates through
 * the call graph, an M/M/c queue ({@link MMc}, the simulator's model) per service, and latency
 * distributions of spans and end-to-end requests.
 *
 * <p>Rates: each entry's rate is its YAML {@code rps} scaled so that entries sum to the requested total
 * (the traffic mix is kept); an endpoint's rate is the sum over callers of caller rate × count ×
 * probability; a service's λ is the sum over its endpoints. μ = 1000 / mean service time (ms), c = replicas.
 *
 * <p>Latency: the span duration of an endpoint is W + S + Σ downstream span durations, W sampled from the
 * stationary M/M/c wait (at min(ρ, 0.99) as in the simulator), S from the service-time distribution of the
 * topology, calls made count times each with their probability, capped at the service timeout — the
 * simulator's own composition rule, evaluated by seeded Monte Carlo (sums of waits and lognormal times have
 * no closed form). A saturated service (ρ ≥ 1) is reported as such; its callers see its timeout, which is
 * where the simulator's backlog ends up. Not modelled: error short-circuits (they only shorten spans) and
 * the simulator's per-second rate noise.
 */
public final class TwinModel {

    /** Monte Carlo samples per endpoint by default: p99 standard error ≈ 2–3%. */
    public static final int DEFAULT_SAMPLES = 40_000;

    private TwinModel() {}

    /** Per-service figures. Times in ms; NaN/∞ when saturated. */
    public record ServiceResult(String service, int replicas, double arrivalRate, double serviceRate,
                                double utilisation, double probabilityOfWaiting, double meanWaitMs,
                                double p99WaitMs, double p50Ms, double p99Ms, boolean saturated,
                                double saturationEntryRps) {}

    /** One entry path: the entry endpoint and the services its requests reach (BFS order). */
    public record PathResult(String service, String endpoint, double rps, List<String> services, double p50Ms,
                             double p99Ms) {}

    /**
     * @param bottleneck the service with the highest utilisation (first to saturate as load grows)
     */
    public record Result(double entryRps, Map<String, ServiceResult> services, List<PathResult> paths,
                         String bottleneck) {}

    /** Applies {@code SERVICE.replicas=N} and {@code SERVICE.service_time_ms=MEAN} overrides. */
    public static Topology withOverrides(Topology t, Map<String, String> sets) {
        Map<String, Service> services = new LinkedHashMap<>(t.services());
        for (Map.Entry<String, String> e : sets.entrySet()) {
            String key = e.getKey();
            int dot = key.lastIndexOf('.');
            if (dot <= 0) {
                throw new IllegalArgumentException("--set expects SERVICE.replicas=N or SERVICE.service_time_ms=X, got "
                        + key);
            }
            String name = key.substring(0, dot);
            String field = key.substring(dot + 1);
            Service s = services.get(name);
            if (s == null) {
                throw new IllegalArgumentException("unknown service '" + name + "' in --set " + key);
            }
            double v;
            try {
                v = Double.parseDouble(e.getValue());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("--set " + key + ": '" + e.getValue() + "' is not a number");
            }
            switch (field) {
                case "replicas" -> {
                    if (v < 0 || v != Math.rint(v)) {
                        throw new IllegalArgumentException("--set " + key + ": replicas must be an integer >= 0");
                    }
                    s = new Service(s.name(), (int) v, s.serviceTime(), s.errorRate(), s.timeoutMs(),
                            s.errorPropagation(), s.endpoints());
                }
                case "service_time_ms" -> {
                    if (!(v > 0)) {
                        throw new IllegalArgumentException("--set " + key + ": service time must be > 0");
                    }
                    s = new Service(s.name(), s.replicas(), scaled(s.serviceTime(), v), s.errorRate(), s.timeoutMs(),
                            s.errorPropagation(), s.endpoints());
                }
                default -> throw new IllegalArgumentException("--set " + key + ": unknown field '" + field
                        + "' (replicas, service_time_ms)");
            }
            services.put(name, s);
        }
        return new Topology(t.name(), t.timezone(), t.spanSampleRate(), t.maxSpansPerSecond(), t.metricsInterval(),
                services, t.entries(), t.faults());
    }

    /** Same distribution shape with a new mean. */
    private static ServiceTime scaled(ServiceTime st, double meanMs) {
        return switch (st.distribution()) {
            case EXPONENTIAL -> ServiceTime.exponential(meanMs);
            case CONSTANT -> ServiceTime.constant(meanMs);
            case LOGNORMAL -> ServiceTime.lognormal(meanMs / Math.exp(st.sigma() * st.sigma() / 2), st.sigma());
        };
    }

    /** Sum of the YAML entry rates. */
    public static double baseEntryRps(Topology t) {
        return t.entries().stream().mapToDouble(Entry::rps).sum();
    }

    /** Evaluates the topology at a total entry rate. Deterministic for a given seed. */
    public static Result evaluate(Topology t, double entryRps, int samples, long seed) {
        double base = baseEntryRps(t);
        double scale = base > 0 ? entryRps / base : 0;
        Map<String, Double> epRate = new LinkedHashMap<>();
        for (Entry e : t.entries()) {
            push(t, e.service(), e.endpoint(), e.rps() * scale, epRate);
        }
        Map<String, Double> lambda = new LinkedHashMap<>();
        for (Service s : t.services().values()) {
            double l = 0;
            for (Endpoint ep : s.endpoints().values()) {
                l += epRate.getOrDefault(key(s.name(), ep.name()), 0.0);
            }
            lambda.put(s.name(), l);
        }
        Map<String, MMc> queues = new LinkedHashMap<>();
        for (Service s : t.services().values()) {
            if (s.replicas() > 0) {
                double mu = s.serviceTime().serviceRatePerSecond();
                double l = lambda.get(s.name());
                queues.put(s.name(), new MMc(Math.min(l, 0.99 * s.replicas() * mu), mu, s.replicas()));
            }
        }
        Sampler sampler = new Sampler(t, lambda, queues, new SplittableRandom(seed));
        Map<String, ServiceResult> out = new LinkedHashMap<>();
        String bottleneck = null;
        double maxRho = -1;
        for (Service s : t.services().values()) {
            double l = lambda.get(s.name());
            double mu = s.serviceTime().serviceRatePerSecond();
            double rho = s.replicas() == 0 ? Double.POSITIVE_INFINITY : l / (s.replicas() * mu);
            boolean saturated = rho >= 1;
            MMc q = s.replicas() == 0 ? null : new MMc(l, mu, s.replicas());
            List<Double> pooled = new ArrayList<>();
            for (Endpoint ep : s.endpoints().values()) {
                double r = epRate.getOrDefault(key(s.name(), ep.name()), 0.0);
                if (r <= 0 || l <= 0) {
                    continue;
                }
                int n = (int) Math.max(1, Math.round(samples * r / l));
                for (int i = 0; i < n; i++) {
                    pooled.add(sampler.sample(s, ep));
                }
            }
            double[] d = pooled.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double p50 = saturated || d.length == 0 ? Double.NaN : quantile(d, 0.5);
            double p99 = saturated || d.length == 0 ? Double.NaN : quantile(d, 0.99);
            double satRps = rho > 0 && Double.isFinite(rho) ? entryRps / rho : Double.POSITIVE_INFINITY;
            out.put(s.name(), new ServiceResult(s.name(), s.replicas(), l, mu, rho,
                    q == null ? 1 : q.probabilityOfWaiting(),
                    q == null ? Double.POSITIVE_INFINITY : q.meanWait() * 1000,
                    q == null ? Double.POSITIVE_INFINITY : q.waitQuantile(0.99) * 1000, p50, p99, saturated,
                    s.replicas() == 0 ? 0 : satRps));
            if (l > 0 && rho > maxRho) {
                maxRho = rho;
                bottleneck = s.name();
            }
        }
        List<PathResult> paths = new ArrayList<>();
        for (Entry e : t.entries()) {
            Service s = t.service(e.service());
            Endpoint ep = s.endpoint(e.endpoint());
            double[] d = new double[samples];
            for (int i = 0; i < samples; i++) {
                d[i] = sampler.sample(s, ep);
            }
            Arrays.sort(d);
            boolean sat = reach(t, e.service(), e.endpoint()).stream().anyMatch(n -> out.get(n).saturated());
            paths.add(new PathResult(e.service(), e.endpoint(), e.rps() * scale,
                    List.copyOf(reach(t, e.service(), e.endpoint())),
                    sat ? Double.NaN : quantile(d, 0.5), sat ? Double.NaN : quantile(d, 0.99)));
        }
        return new Result(entryRps, out, paths, bottleneck);
    }

    private static String key(String service, String endpoint) {
        return service + " " + endpoint;
    }

    private static void push(Topology t, String svc, String ep, double rate, Map<String, Double> epRate) {
        epRate.merge(key(svc, ep), rate, Double::sum);
        for (Call c : t.service(svc).endpoint(ep).calls()) {
            push(t, c.service(), c.endpoint(), rate * c.expectedCalls(), epRate);
        }
    }

    /** Services reached from an endpoint, breadth first, starting with its own. */
    static Set<String> reach(Topology t, String svc, String ep) {
        Set<String> seen = new LinkedHashSet<>();
        List<String[]> queue = new ArrayList<>();
        queue.add(new String[] {svc, ep});
        for (int i = 0; i < queue.size(); i++) {
            String[] cur = queue.get(i);
            seen.add(cur[0]);
            for (Call c : t.service(cur[0]).endpoint(cur[1]).calls()) {
                queue.add(new String[] {c.service(), c.endpoint()});
            }
        }
        return seen;
    }

    /** Type-7 (linear interpolation) quantile of sorted data. */
    public static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Draws span durations by the simulator's composition rule. */
    private static final class Sampler {
        final Topology t;
        final Map<String, Double> lambda;
        final Map<String, MMc> queues;
        final SplittableRandom rng;

        Sampler(Topology t, Map<String, Double> lambda, Map<String, MMc> queues, SplittableRandom rng) {
            this.t = t;
            this.lambda = lambda;
            this.queues = queues;
            this.rng = rng;
        }

        double sample(Service s, Endpoint ep) {
            MMc q = queues.get(s.name());
            if (q == null) {
                return 1.0; // no live replica: immediate connection error, as in the simulator
            }
            double rho = lambda.get(s.name()) / (s.replicas() * q.serviceRate());
            if (rho >= 1) {
                return s.timeoutMs(); // the backlog grows until requests time out
            }
            double d = q.sampleWait(rng.nextDouble()) * 1000 + s.serviceTime().sampleMs(rng);
            for (Call c : ep.calls()) {
                Service callee = t.service(c.service());
                Endpoint cep = callee.endpoint(c.endpoint());
                for (int k = 0; k < c.count(); k++) {
                    if (c.probability() < 1 && rng.nextDouble() >= c.probability()) {
                        continue;
                    }
                    d += sample(callee, cep);
                }
            }
            return Math.min(d, s.timeoutMs());
        }
    }
}
