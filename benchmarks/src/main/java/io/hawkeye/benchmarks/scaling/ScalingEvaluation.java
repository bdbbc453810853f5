package io.hawkeye.benchmarks.scaling;

import static io.hawkeye.tools.scale.ScaleReplay.MINUTE;
import static io.hawkeye.tools.scale.ScaleReplay.sloSeconds;

import io.hawkeye.jobs.scale.ScalingConfig;
import io.hawkeye.jobs.scale.ServiceLoad;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.simulator.SimulatedLoad;
import io.hawkeye.topology.Topology;
import io.hawkeye.topology.Topology.Entry;
import io.hawkeye.topology.Topology.Fault;
import io.hawkeye.topology.Topology.FaultType;
import io.hawkeye.tools.scale.ScaleReplay.Hpa;
import io.hawkeye.tools.scale.ScaleReplay.Outcome;
import io.hawkeye.tools.scale.ScaleReplay.Planner;
import io.hawkeye.tools.scale.ScaleReplay.ServiceSim;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

/**
 * Closed-loop evaluation of predictive scaling against a reactive HPA baseline (docs/scaling.md, "Evaluation").
 *
 * <p>Window-level simulation, because simulating every span of a topology for a week takes too long: the
 * simulator's own traffic model ({@link SimulatedLoad}: daily and weekly seasonality, trend, per-second noise,
 * spikes as traffic faults with a factor above 1) gives every service's arrival rate per second. Per service
 * and policy the harness keeps the replicas asked for (cost), the ready replicas (a scale-up becomes ready after
 * {@code --startup}; scale-downs are immediate) and a fluid backlog as the simulator's {@code ServiceModel}. It
 * judges every second with a latency model that is not the planner's: M/G/c waits (Erlang C with the
 * Allen–Cunneen factor (1 + cv²)/2 on the conditional wait) plus the topology's real service-time distribution
 * (lognormal for most services) plus the backlog delay; a minute violates the SLO when the request-weighted
 * P(response time &gt; SLO) of its seconds exceeds 1%, i.e. its p99 is above the SLO. Each minute the
 * controllers see what a cluster would report: rps (Poisson count / 60), replicas asked for, and mean CPU
 * utilisation over them (busy pod-seconds / asked pods, a pod still starting counting as idle, + the simulator's
 * metric noise).
 *
 * <ul>
 *   <li>predictive: the real {@link io.hawkeye.jobs.scale.ScalingPlanner} (forecaster, capacity model, {@code ScalingPolicy}) with
 *       the job's defaults in enforce mode, through Flink's operator test harness; its actions set the replicas
 *       from the next minute;</li>
 *   <li>HPA: desired = ceil(current × utilisation / target) (target 0.7, Kubernetes' 10% tolerance), scale-down
 *       to the largest recommendation of the last 300 s; no scale-up limit (Kubernetes' default policy allows
 *       ×2 or +4 pods every 15 s).</li>
 * </ul>
 *
 * <p>The engine (service twin, judge, HPA, planner harness) is {@link io.hawkeye.tools.scale.ScaleReplay}, shared
 * with {@code ./hawkeye scale-eval}, which replays a recorded trace instead of the simulator's traffic.
 *
 * <pre>
 * ./mvnw -B -q -o -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/classes:$(cat benchmarks/target/classpath.txt) \
 *     io.hawkeye.benchmarks.scaling.ScalingEvaluation [--days 8] [--startup 5m] [--seed 1] [--plan-ahead 0m]
 *     [--topology deploy/topologies/online-shop.yaml] [--services a,b] [--no-spikes]
 * </pre>
 */
public final class ScalingEvaluation {
    private ScalingEvaluation() {}

    public static void main(String[] args) throws Exception {
        Path topologyFile = Path.of("deploy/topologies/online-shop.yaml");
        int days = 8;
        Duration startup = Duration.ofMinutes(5);
        long seed = 1;
        Duration planAhead = Duration.ZERO;
        Set<String> only = null;
        boolean spikes = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--topology" -> topologyFile = Path.of(args[++i]);
                case "--days" -> days = Integer.parseInt(args[++i]);
                case "--startup" -> startup = parseDuration(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--plan-ahead" -> planAhead = parseDuration(args[++i]);
                case "--services" -> only = new LinkedHashSet<>(Arrays.asList(args[++i].split(",")));
                case "--no-spikes" -> spikes = false;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Instant start = Instant.parse("2026-01-05T00:00:00Z"); // a Monday
        Topology base = Topology.load(topologyFile);
        List<Fault> faults = spikes ? spikes(base, days, seed) : List.of();
        Topology topo = SimulatedLoad.withFaults(base, faults);
        System.out.printf(Locale.ROOT, "# topology %s, %d days from %s, pod startup %s, seed %d, plan-ahead %s,"
                + " %d spike faults%n", topologyFile, days, start, startup, seed, planAhead, faults.size());
        for (Fault f : faults) {
            if (f.service().equals(base.entries().get(0).service())) {
                System.out.printf(Locale.ROOT, "#   spike x%.2f from %s for %d min%n", f.factor(),
                        start.plus(f.start()), f.duration().toMinutes());
            }
        }
        Result r = run(topo, start, days, startup, seed, planAhead, only);
        r.print();
    }

    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
        long v = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(v);
            case 'm' -> Duration.ofMinutes(v);
            case 'h' -> Duration.ofHours(v);
            default -> throw new IllegalArgumentException("duration like 5m, 30s, 2h: " + s);
        };
    }

    /**
     * Spikes on every entry service (as traffic faults with factor &gt; 1): a recurring one every day at
     * 19:00 UTC for 20 min (×1.8, e.g. a daily push campaign: predictable in principle) and one per day at a
     * random time (seeded; 10–40 min, ×1.5–2.5: unpredictable).
     */
    static List<Fault> spikes(Topology t, int days, long seed) {
        Set<String> entryServices = new LinkedHashSet<>();
        for (Entry e : t.entries()) entryServices.add(e.service());
        Random r = new Random(seed * 31 + 7);
        List<Fault> out = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            Duration daily = Duration.ofDays(d).plusHours(19);
            long randomStartMin = d * 1440L + r.nextInt(1440);
            int randomLen = 10 + r.nextInt(31);
            double randomFactor = 1.5 + r.nextDouble();
            for (String svc : entryServices) {
                out.add(new Fault(FaultType.TRAFFIC_DROP, svc, null, daily, Duration.ofMinutes(20), 0, 1, 0, 0,
                        1.8));
                out.add(new Fault(FaultType.TRAFFIC_DROP, svc, null, Duration.ofMinutes(randomStartMin),
                        Duration.ofMinutes(randomLen), 0, 1, 0, 0, randomFactor));
            }
        }
        return out;
    }

    record Result(List<String> services, List<Double> slos, List<Outcome> predictive, List<Outcome> hpa,
            int days) {
        void print() {
            System.out.println();
            System.out.println("| service | SLO p99 | predictive viol. min | HPA viol. min | predictive replica-min |"
                    + " HPA replica-min | predictive up/down | HPA up/down |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            long[] tp = new long[2];
            long[] th = new long[2];
            long[] rp = new long[2];
            long[] rh = new long[2];
            long[] sp = new long[2];
            long[] sh = new long[2];
            for (int i = 0; i < services.size(); i++) {
                Outcome p = predictive.get(i);
                Outcome h = hpa.get(i);
                System.out.printf(Locale.ROOT, "| %s | %s | %d (%d in spikes) | %d (%d in spikes) | %,d | %,d |"
                                + " %d/%d | %d/%d |%n", services.get(i),
                        Math.round(slos.get(i) * 1000) + " ms",
                        p.violationMinutes[1], p.spikeViolationMinutes[1], h.violationMinutes[1],
                        h.spikeViolationMinutes[1], p.replicaMinutes[1], h.replicaMinutes[1], p.scaleUps,
                        p.scaleDowns, h.scaleUps, h.scaleDowns);
                for (int k = 0; k < 2; k++) {
                    tp[k] += p.violationMinutes[k];
                    th[k] += h.violationMinutes[k];
                    rp[k] += p.replicaMinutes[k];
                    rh[k] += h.replicaMinutes[k];
                    sp[k] += p.spikeViolationMinutes[k];
                    sh[k] += h.spikeViolationMinutes[k];
                }
            }
            System.out.printf(Locale.ROOT, "| **total, days 2–%d** | | %d (%d in spikes) | %d (%d in spikes) | %,d |"
                    + " %,d | | |%n", days, tp[1], sp[1], th[1], sh[1], rp[1], rh[1]);
            System.out.printf(Locale.ROOT, "| day 1 (forecaster LEARNING: reactive warm-up) | | %d | %d | %,d | %,d"
                    + " | | |%n", tp[0], th[0], rp[0], rh[0]);
            System.out.printf(Locale.ROOT, "%nDays 2–%d: SLO-violation minutes %d vs %d (%.1f%% fewer), replica-minutes"
                    + " %,d vs %,d (%+.1f%%).%n", days, tp[1], th[1],
                    th[1] == 0 ? 0.0 : 100.0 * (th[1] - tp[1]) / th[1], rp[1], rh[1], 100.0 * (rp[1] - rh[1]) / rh[1]);
        }
    }

    static Result run(Topology topo, Instant start, int days, Duration startup, long seed, Duration planAhead,
            Set<String> only) throws Exception {
        SimulatedLoad sim = new SimulatedLoad(topo, start, seed);
        List<String> services = new ArrayList<>();
        for (String s : sim.services()) if (only == null || only.contains(s)) services.add(s);
        int n = services.size();
        ServiceSim[] pred = new ServiceSim[n];
        ServiceSim[] hpa = new ServiceSim[n];
        Hpa[] hpaState = new Hpa[n];
        List<Planner> planners = new ArrayList<>();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            String svc = services.get(i);
            Topology.Service spec = topo.service(svc);
            double slo = sloSeconds(spec.serviceTime());
            pred[i] = new ServiceSim(svc, spec.serviceTime(), spec.replicas(), spec.timeoutMs(), slo, 2);
            hpa[i] = new ServiceSim(svc, spec.serviceTime(), spec.replicas(), spec.timeoutMs(), slo, 2);
            hpaState[i] = new Hpa();
            idx[i] = sim.index(svc);
            ScalingConfig cfg = ScalingConfig.defaults().with(b -> {
                b.mode = ScalingAction.MODE_ENFORCE;
                b.sloP99 = Duration.ofMillis(Math.round(slo * 1000));
                b.planAhead = planAhead;
            });
            planners.add(new Planner(cfg));
        }
        Random noiseP = new Random(seed * 1_000_003L + 1);
        Random noiseH = new Random(seed * 1_000_003L + 1); // same observation noise for both policies
        long t0 = start.toEpochMilli();
        long startupMs = startup.toMillis();
        List<Fault> spikes = topo.faults();
        long wallStart = System.nanoTime();
        for (int m = 0; m < days * 1440; m++) {
            long ws = t0 + m * MINUTE;
            for (int s = 0; s < 60; s++) {
                long t = ws + s * 1000L;
                double[] rates = sim.rates(t);
                for (int i = 0; i < n; i++) {
                    pred[i].second(t, rates[idx[i]]);
                    hpa[i].second(t, rates[idx[i]]);
                }
            }
            int phase = m < 1440 ? 0 : 1;
            long offset = ws - t0;
            boolean inSpike = false;
            for (Fault f : spikes) {
                if (f.activeAt(offset) || f.activeAt(offset + MINUTE - 1)) inSpike = true;
            }
            for (int i = 0; i < n; i++) {
                pred[i].endMinute(phase, inSpike);
                hpa[i].endMinute(phase, inSpike);
                ServiceLoad lp = pred[i].observe(ws, noiseP);
                ServiceLoad lh = hpa[i].observe(ws, noiseH);
                for (ScalingAction a : planners.get(i).window(lp)) {
                    pred[i].setReplicas(a.desiredReplicas, ws + MINUTE, startupMs, phase);
                }
                int d = hpaState[i].desired(ws + MINUTE, hpa[i].asked(), lh.cpuUtilisation);
                if (d != hpa[i].asked()) hpa[i].setReplicas(d, ws + MINUTE, startupMs, phase);
            }
            if (m % 1440 == 1439) {
                System.err.printf(Locale.ROOT, "day %d simulated (%.0f s)%n", m / 1440 + 1,
                        (System.nanoTime() - wallStart) / 1e9);
            }
        }
        for (Planner p : planners) p.close();
        List<Outcome> po = new ArrayList<>();
        List<Outcome> ho = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            po.add(pred[i].outcome);
            ho.add(hpa[i].outcome);
        }
        List<Double> slos = new ArrayList<>();
        for (String svc : services) slos.add(sloSeconds(topo.service(svc).serviceTime()));
        return new Result(services, slos, po, ho, days);
    }
}
