package io.hawkeye.tools.scale;

import io.hawkeye.capacity.CapacityModel;
import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.jobs.scale.ScalingConfig;
import io.hawkeye.jobs.scale.ScalingPlanner;
import io.hawkeye.jobs.scale.ServiceLoad;
import io.hawkeye.queueing.MMc;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.topology.Topology.ServiceTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The closed-loop engine shared by the scaling evaluations (benchmarks' {@code ScalingEvaluation} on the
 * simulator's traffic, {@code ./hawkeye scale-eval} on a recorded trace): one service on the M/M/c twin under a
 * controller, the judge of its latency, the reactive HPA baseline, and the job's own {@link ScalingPlanner} driven
 * through Flink's keyed operator test harness (the code of the streaming job, not a copy).
 *
 * <ul>
 *   <li>{@link ServiceSim}: replicas asked for (cost), ready replicas (a scale-up is ready after the start-up
 *       delay, a scale-down is immediate and removes unready pods first), a fluid backlog as the simulator's
 *       {@code ServiceModel} (grows while λ &gt; cμ, capped at the timeout), per-minute accounting and what a
 *       cluster would report each minute (rps as a Poisson count / 60, replicas, noisy CPU utilisation);</li>
 *   <li>{@link Judge}: P(response time &gt; SLO) with the real service-time distribution and M/G/c waits — not
 *       the planner's model; a minute violates the SLO when its request-weighted tail exceeds 1%;</li>
 *   <li>{@link Hpa}: desired = ceil(current × utilisation / target), Kubernetes' 10% tolerance, scale-down to
 *       the largest recommendation of the last 300 s;</li>
 *   <li>{@link Planner}: the real planner in enforce mode; its actions and forecast scores per window.</li>
 * </ul>
 */
public final class ScaleReplay {
    public static final long MINUTE = 60_000;
    public static final long DAY = 1440 * MINUTE;
    public static final double HPA_TARGET = 0.7;
    public static final double HPA_TOLERANCE = 0.1;
    public static final long HPA_STABILISATION_MS = 300_000;
    public static final double CPU_NOISE = 0.03; // the simulator's per-instance noise on cpu_utilization
    public static final int METRIC_SAMPLES_PER_MINUTE = 6; // metrics_interval 10 s
    /** Requests per minute the reported latency percentiles are drawn from at most (cost of the twin). */
    public static final int LATENCY_SAMPLES = 1000;

    private ScaleReplay() {}

    /** The SLO a service is judged (and sized) by: 250 ms, or 1.5 × its own p99 service time when that is more. */
    public static double sloSeconds(ServiceTime st) {
        double p99 = switch (st.distribution()) {
            case EXPONENTIAL -> st.meanMs() * Math.log(100);
            case LOGNORMAL -> st.medianMs() * Math.exp(2.3263478740408408 * st.sigma());
            case CONSTANT -> st.meanMs();
        } / 1000;
        if (1.5 * p99 <= 0.25) return 0.25;
        return Math.ceil(1.5 * p99 / 0.05) * 0.05;
    }

    /** Outcome of one service under one policy, per period (e.g. warm-up and scored days, or one per day). */
    public static final class Outcome {
        public final long[] violationMinutes;
        public final long[] spikeViolationMinutes;
        public final long[] replicaMinutes;
        public final long[] minutes;
        public final int[] ups;
        public final int[] downs;
        public int scaleUps;
        public int scaleDowns;

        public Outcome(int periods) {
            violationMinutes = new long[periods];
            spikeViolationMinutes = new long[periods];
            replicaMinutes = new long[periods];
            minutes = new long[periods];
            ups = new int[periods];
            downs = new int[periods];
        }
    }

    /** One service under one policy: replicas asked for, ready replicas, pending pods, backlog, the judge. */
    public static final class ServiceSim {
        public final String service;
        final Judge judge;
        final double mu;
        final double timeoutS;
        int asked;
        int ready;
        final ArrayDeque<long[]> pending = new ArrayDeque<>(); // {readyAt, pods}
        double backlog;
        // per-minute accumulators (request- and time-weighted over the minute's judge steps)
        double lambdaSum;
        double violSum;
        double busySum;
        // the minute's judge steps, for the latency percentiles it reports: {requests, C, θ, backlog delay}
        final ArrayList<double[]> steps = new ArrayList<>();
        final SplittableRandom latencyRng;
        public final Outcome outcome;

        /**
         * @param st        the real service-time distribution (the judge's; μ = 1 / its mean)
         * @param replicas  replicas at the start, all ready
         * @param timeoutMs the backlog is capped at this many seconds of capacity
         * @param slo       SLO on the p99 response time, seconds
         * @param periods   periods the outcome is accounted in
         */
        public ServiceSim(String service, ServiceTime st, int replicas, double timeoutMs, double slo, int periods) {
            this.service = service;
            this.judge = new Judge(st, slo);
            this.mu = st.serviceRatePerSecond();
            this.timeoutS = timeoutMs / 1000.0;
            this.asked = replicas;
            this.ready = replicas;
            this.outcome = new Outcome(periods);
            // Own stream (not the observation noise's), so that reporting latency leaves the other draws unchanged.
            this.latencyRng = new SplittableRandom(0x1a7e5c1L ^ service.hashCode());
        }

        /** Replicas asked for (what costs). */
        public int asked() {
            return asked;
        }

        /** Replicas ready to serve. */
        public int ready() {
            return ready;
        }

        public void setReplicas(int desired, long now, long startupMs, int period) {
            if (desired > asked) {
                pending.addLast(new long[] {now + startupMs, desired - asked});
            } else if (desired < asked) {
                int remove = asked - desired;
                while (remove > 0 && !pending.isEmpty()) { // unready pods go first
                    long[] p = pending.peekLast();
                    int k = (int) Math.min(remove, p[1]);
                    p[1] -= k;
                    remove -= k;
                    if (p[1] == 0) pending.pollLast();
                }
                ready -= remove;
            }
            if (desired > asked) {
                outcome.scaleUps++;
                outcome.ups[period]++;
            }
            if (desired < asked) {
                outcome.scaleDowns++;
                outcome.downs[period]++;
            }
            asked = desired;
        }

        /** One second at arrival rate λ. */
        public void second(long t, double lambda) {
            step(t, lambda, 1);
        }

        /**
         * {@code dt} seconds from {@code t} at a constant arrival rate λ (dt dividing 60: the judge's step). The
         * fluid backlog moves by (λ − cμ)·dt; the tail is judged once for the step, weighted by its requests.
         */
        public void step(long t, double lambda, double dt) {
            while (!pending.isEmpty() && pending.peekFirst()[0] <= t) ready += (int) pending.pollFirst()[1];
            double cap = ready * mu;
            backlog = Math.min(Math.max(0, backlog + (lambda - cap) * dt), cap * timeoutS);
            double delay = cap > 0 ? backlog / cap : Double.POSITIVE_INFINITY;
            double p = cap > 0 ? judge.tailAt(ready, lambda, mu, delay) : 1;
            lambdaSum += lambda * dt;
            violSum += lambda * dt * p;
            busySum += (cap > 0 ? (backlog > 0 ? 1 : Math.min(1, lambda / cap)) : 0) * ready * dt; // busy pod-seconds
            if (lambda > 0) {
                double lam = Math.min(lambda, 0.99 * ready * mu);
                double c = cap > 0 && lam > 0 ? MMc.erlangC(ready, lam / mu) : 1;
                double theta = cap > 0 ? (ready * mu - lam) * 2 / (1 + judge.cv2) : 0;
                steps.add(new double[] {lambda * dt, c, theta, cap > 0 ? delay : timeoutS});
            }
        }

        /** Closes a minute; returns whether its p99 exceeded the SLO. */
        public boolean endMinute(int period, boolean inSpike) {
            boolean violated = lambdaSum > 0 && violSum / lambdaSum > 0.01;
            if (violated) {
                outcome.violationMinutes[period]++;
                if (inSpike) outcome.spikeViolationMinutes[period]++;
            }
            outcome.replicaMinutes[period] += asked;
            outcome.minutes[period]++;
            return violated;
        }

        /** What the cluster reports for the minute just closed (resets the minute's accumulators). */
        public ServiceLoad observe(long windowStart, Random noise) {
            double n = lambdaSum;
            double count = Math.max(0, Math.round(n + Math.sqrt(n) * noise.nextGaussian()));
            // Mean over the pods asked for: a pod still starting serves nothing (0%, as the HPA counts an unready pod
            // on a scale-up), so replicas × utilisation stays the busy pods the planner's μ estimate assumes.
            double cpu = busySum / (60.0 * Math.max(1, asked))
                    + CPU_NOISE / Math.sqrt(METRIC_SAMPLES_PER_MINUTE * Math.max(1, asked))
                    * noise.nextGaussian();
            cpu = Math.max(0, Math.min(1, cpu));
            double p99 = latencyP99((int) Math.min(count, LATENCY_SAMPLES));
            lambdaSum = 0;
            violSum = 0;
            busySum = 0;
            steps.clear();
            return ServiceLoad.of(service, windowStart, windowStart + MINUTE, count / 60, p99, asked, cpu);
        }

        /**
         * The p99 (ms) of the response times of {@code n} requests of the minute, as a service's window statistics
         * would report it: each request falls in a judge step in proportion to its arrivals and
         * takes T = backlog delay + S + (with probability C) an exponential wait of rate θ, the judge's model
         * (S from its seeded service-time samples). NaN without requests.
         */
        double latencyP99(int n) {
            if (n <= 0 || steps.isEmpty()) return Double.NaN;
            double total = 0;
            for (double[] s : steps) total += s[0];
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                double u = latencyRng.nextDouble() * total;
                double[] s = steps.get(steps.size() - 1);
                for (double[] candidate : steps) {
                    if (u < candidate[0]) {
                        s = candidate;
                        break;
                    }
                    u -= candidate[0];
                }
                double x = s[3] + judge.samples[latencyRng.nextInt(judge.samples.length)];
                if (latencyRng.nextDouble() < s[1]) {
                    x += s[2] > 0 ? -Math.log(1 - latencyRng.nextDouble()) / s[2] : timeoutS;
                }
                t[i] = x * 1000;
            }
            Arrays.sort(t);
            return t[(int) Math.ceil(0.99 * (n - 1))];
        }
    }

    /**
     * The reactive baseline, a Kubernetes HPA on CPU: desired = ceil(current × utilisation / target) unless within
     * the tolerance; a scale-down goes only to the largest recommendation of the stabilisation window.
     */
    public static final class Hpa {
        final ArrayDeque<long[]> recs = new ArrayDeque<>(); // {time, replicas}
        final int min;
        final int max;
        final double target;

        public Hpa() {
            this(1, 100);
        }

        public Hpa(int min, int max) {
            this(min, max, HPA_TARGET);
        }

        /** @param target the target utilisation (averageUtilization / 100) */
        public Hpa(int min, int max, double target) {
            this.min = min;
            this.max = max;
            this.target = target;
        }

        public int desired(long now, int current, double utilisation) {
            double ratio = utilisation / target;
            int rec = Math.abs(ratio - 1) <= HPA_TOLERANCE ? current : (int) Math.ceil(current * ratio);
            rec = Math.max(min, Math.min(max, rec));
            recs.addLast(new long[] {now, rec});
            while (recs.peekFirst()[0] <= now - HPA_STABILISATION_MS) recs.pollFirst();
            if (rec >= current) return rec;
            long best = 0;
            for (long[] r : recs) best = Math.max(best, r[1]);
            return (int) Math.min(current, best);
        }
    }

    /** The job's {@link ScalingPlanner} for one key, in a keyed operator test harness. */
    public static final class Planner implements AutoCloseable {
        final KeyedOneInputStreamOperatorTestHarness<String, ServiceLoad, ?> harness;
        /** The last forecast score emitted (cumulative since the first scored forecast), or null. */
        public ForecastScore lastScore;

        public Planner(ScalingConfig config) throws Exception {
            harness = new KeyedOneInputStreamOperatorTestHarness<>(
                    new KeyedProcessOperator<>(new ScalingPlanner(config)), (ServiceLoad l) -> l.service, Types.STRING);
            harness.open();
        }

        /** Feeds one window (and the watermark at its end); returns the actions it caused. */
        public List<ScalingAction> window(ServiceLoad load) throws Exception {
            harness.processElement(new StreamRecord<>(load, load.windowEnd - 1));
            harness.processWatermark(load.windowEnd - 1);
            List<ScalingAction> actions = new ArrayList<>();
            var side = harness.getSideOutput(SideOutputs.SCALING_ACTIONS);
            if (side != null) {
                for (StreamRecord<ScalingAction> r : side) actions.add(r.getValue());
                side.clear();
            }
            harness.getOutput().clear();
            var scores = harness.getSideOutput(SideOutputs.FORECAST_SCORES);
            if (scores != null) {
                for (StreamRecord<ForecastScore> r : scores) lastScore = r.getValue();
                scores.clear();
            }
            return actions;
        }

        @Override
        public void close() throws Exception {
            harness.close();
        }
    }

    /**
     * The judge's latency model (not the planner's): response time T = W + D + S with S the service's real
     * service-time distribution, D the backlog delay, and W = 0 with probability 1 − C (Erlang C at
     * min(ρ, 0.99), as the simulator caps it), else exponential with rate (cμ − λ)·2/(1 + cv²) (Allen–Cunneen).
     * P(T &gt; x) = P(S &gt; x − D) + C·E[e^{−θ(x − D − S)}; S ≤ x − D], the expectation over 4,000 seeded
     * samples of S.
     */
    public static final class Judge {
        final ServiceTime st;
        final double slo;
        final double cv2;
        final double[] samples; // seconds, sorted

        public Judge(ServiceTime st, double slo) {
            this.st = st;
            this.slo = slo;
            this.cv2 = switch (st.distribution()) {
                case EXPONENTIAL -> 1;
                case LOGNORMAL -> Math.exp(st.sigma() * st.sigma()) - 1;
                case CONSTANT -> 0;
            };
            SplittableRandom r = new SplittableRandom(99);
            samples = new double[4000];
            for (int i = 0; i < samples.length; i++) samples[i] = st.sampleMs(r) / 1000;
            Arrays.sort(samples);
        }

        double survival(double x) {
            if (x <= 0) return 1;
            double ms = x * 1000;
            return switch (st.distribution()) {
                case EXPONENTIAL -> Math.exp(-ms / st.meanMs());
                case LOGNORMAL -> 0.5 * CapacityModel.erfc(Math.log(ms / st.medianMs()) / (st.sigma() * Math.sqrt(2)));
                case CONSTANT -> ms < st.meanMs() ? 1 : 0;
            };
        }

        /** P(T &gt; SLO) at c replicas, arrival rate λ, service rate μ, backlog delay D (s). */
        public double tailAt(int c, double lambda, double mu, double delay) {
            double x = slo - delay;
            if (x <= 0) return 1;
            double pS = survival(x);
            double lam = Math.min(lambda, 0.99 * c * mu);
            if (lam <= 0) return pS;
            double C = MMc.erlangC(c, lam / mu);
            if (!(C > 1e-9)) return pS;
            double theta = (c * mu - lam) * 2 / (1 + cv2);
            int hi = Arrays.binarySearch(samples, x);
            if (hi < 0) hi = -hi - 1; // samples[0..hi) are < x
            double sum = 0;
            for (int i = hi - 1; i >= 0; i--) {
                double e = theta * (x - samples[i]);
                if (e > 40) break;
                sum += Math.exp(-e);
            }
            return Math.min(1, pS + C * sum / samples.length);
        }
    }
}
