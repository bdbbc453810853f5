package io.hawkeye.tools.scale;

import io.hawkeye.jobs.scale.ScalingConfig;
import io.hawkeye.jobs.scale.ServiceLoad;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.tools.UserError;
import io.hawkeye.tools.csv.CsvLine;
import io.hawkeye.tools.csv.Timestamps;
import io.hawkeye.tools.scale.ScaleReplay.Hpa;
import io.hawkeye.tools.scale.ScaleReplay.Outcome;
import io.hawkeye.tools.scale.ScaleReplay.Planner;
import io.hawkeye.tools.scale.ScaleReplay.ServiceSim;
import io.hawkeye.topology.Topology.ServiceTime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntConsumer;

/**
 * A recorded request-rate trace replayed as the load of one service on the M/M/c twin, under the job's predictive
 * scaler and a reactive HPA side by side ({@code ./hawkeye scale-eval}; engine: {@link ScaleReplay}).
 *
 * <p><b>Trace</b>: {@code timestamp,value[,...]} rows (extra columns ignored, header optional, timestamps as
 * {@code ./hawkeye forecast} reads them), strictly increasing, resolution (median step) 1 s to 1 h. A row with an
 * empty or non-numeric value, or a missing timestamp, is a gap. <b>Gaps are gaps in monitoring, not in traffic</b>:
 * the load is linear between the neighbouring points (also between the points of a coarse trace, so a 5-minute
 * trace gives a smooth per-minute load); the controllers never see the trace, only the simulated cluster.
 *
 * <p><b>Sizing</b> (a trace has no service times): the service time is lognormal with the given median and
 * σ = {@value #SIGMA} (cv² = e^σ² − 1 = 0.28); μ = 1 / its mean. The trace is scaled so that its p95 (over the
 * points present) is N·μ·0.7, the rate that needs N replicas at the HPA's target utilisation 0.7. SLO:
 * {@link ScaleReplay#sloSeconds}. Both controllers start from the replicas the first 5 points need at 0.7, and
 * share the start-up delay of new pods, the min/max replicas and the observation noise (seeded).
 *
 * <p><b>Steps</b>: the controllers see one-minute windows (as the job's default); the judge steps at the trace's
 * resolution, at most 60 s (the largest divisor of 60 not above the step): within a step the load of a trace is
 * constant anyway, and the M/G/c judge already accounts for Poisson variation within it. 28 days of 1-minute data
 * are 40 320 steps per controller.
 *
 * <p><b>No look-ahead</b>: minute m's load depends only on the points at or before the first point at or after m,
 * and every decision at the end of minute m only on the observations up to m. Only the sizing reads the whole
 * trace (its p95), as an operator would size a service from its history.
 */
public final class TraceReplay {
    /** σ of the lognormal service time. */
    public static final double SIGMA = 0.5;
    /** Requests wait at most this long (the backlog cap), as the online-shop topology's default timeout. */
    public static final double TIMEOUT_MS = 5000;
    static final int INITIAL_POINTS = 5;

    private TraceReplay() {}

    /** A trace: increasing timestamps (ms) and values of the points present; gaps are missing timestamps. */
    public record Trace(String name, long[] ts, double[] values, long stepMs, int missingValues) {
        /** Timestamps missing on the step grid between the first and the last point. */
        public long missingPoints() {
            long expected = (ts[ts.length - 1] - ts[0]) / stepMs + 1;
            return Math.max(0, expected - ts.length);
        }

        /** The longest interval between two present points, ms. */
        public long longestGapMs() {
            long g = 0;
            for (int i = 1; i < ts.length; i++) g = Math.max(g, ts[i] - ts[i - 1]);
            return g;
        }
    }

    public static Trace read(Path file) throws IOException {
        return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /** Parses a trace; a problem is a {@link UserError} naming the file and line. */
    public static Trace parse(String name, List<String> lines) {
        List<long[]> ts = new ArrayList<>();
        List<Double> vs = new ArrayList<>();
        int missing = 0;
        int lineNo = 0;
        boolean first = true;
        for (String line : lines) {
            lineNo++;
            if (line.isBlank()) continue;
            String[] parts = line.split(",", -1);
            long t = Timestamps.epochMillis(CsvLine.unquote(parts[0]));
            if (t == Timestamps.NONE) {
                if (first) { // a header
                    first = false;
                    continue;
                }
                throw new UserError(name + " line " + lineNo + ": unparseable timestamp '" + CsvLine.unquote(parts[0]) + "'");
            }
            first = false;
            if (parts.length < 2) throw new UserError(name + " line " + lineNo + ": expected timestamp,value");
            if (!ts.isEmpty() && t <= ts.get(ts.size() - 1)[0]) {
                throw new UserError(name + " line " + lineNo + ": timestamps must increase");
            }
            String v = CsvLine.unquote(parts[1]);
            double value;
            try {
                value = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                value = Double.NaN;
            }
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                missing++;
                continue;
            }
            if (value < 0) {
                throw new UserError(name + " line " + lineNo + ": negative value " + v
                        + " (a request rate is never negative)");
            }
            ts.add(new long[] {t});
            vs.add(value);
        }
        if (ts.size() < 2) throw new UserError(name + ": need at least two timestamp,value rows with a value");
        long[] t = new long[ts.size()];
        for (int i = 0; i < t.length; i++) t[i] = ts.get(i)[0];
        double[] v = vs.stream().mapToDouble(Double::doubleValue).toArray();
        long[] d = new long[t.length - 1];
        for (int i = 1; i < t.length; i++) d[i - 1] = t[i] - t[i - 1];
        Arrays.sort(d);
        long step = d[d.length / 2];
        if (step < 1000 || step > 3_600_000) {
            throw new UserError(name + ": resolution " + Duration.ofMillis(step)
                    + " (median step) is outside 1 s to 1 h");
        }
        return new Trace(name, t, v, step, missing);
    }


    /** How the service is sized for a trace. */
    public record Sizing(ServiceTime serviceTime, double slo, double mu, double p95, double scale,
            int replicasAtP95, int initialReplicas, int judgeStepSeconds) {
        /** The service's arrival rate (req/s) for a trace value. */
        public double rate(double traceValue) {
            return traceValue * scale;
        }
    }

    /** Sizes the service for a trace: see the class comment. */
    public static Sizing size(Trace trace, double serviceTimeMedianMs, int replicasAtP95, int min, int max) {
        if (!(serviceTimeMedianMs > 0)) throw new UserError("--service-time must be > 0");
        if (replicasAtP95 < 1) throw new UserError("--replicas-at-p95 must be ≥ 1");
        ServiceTime st = ServiceTime.lognormal(serviceTimeMedianMs, SIGMA);
        double mu = st.serviceRatePerSecond();
        double[] sorted = trace.values().clone();
        Arrays.sort(sorted);
        double p95 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
        if (!(p95 > 0)) throw new UserError(trace.name() + ": the trace's p95 is 0, so there is no load to size for");
        double scale = replicasAtP95 * mu * ScaleReplay.HPA_TARGET / p95;
        double firstMax = 0;
        for (int i = 0; i < Math.min(INITIAL_POINTS, trace.values().length); i++) {
            firstMax = Math.max(firstMax, trace.values()[i] * scale);
        }
        int initial = Math.max(min, Math.min(max, (int) Math.ceil(firstMax / (mu * ScaleReplay.HPA_TARGET) - 1e-9)));
        int[] divisors = {60, 30, 20, 15, 12, 10, 6, 5, 4, 3, 2, 1};
        int judgeStep = 1;
        for (int dv : divisors) {
            if (dv * 1000L <= trace.stepMs()) {
                judgeStep = dv;
                break;
            }
        }
        return new Sizing(st, ScaleReplay.sloSeconds(st), mu, p95, scale, replicasAtP95, initial, judgeStep);
    }

    /** Controller settings shared by both policies. */
    public record Settings(Duration startup, int minReplicas, int maxReplicas, long seed, double hpaTarget) {
        public Settings(Duration startup, int minReplicas, int maxReplicas, long seed) {
            this(startup, minReplicas, maxReplicas, seed, ScaleReplay.HPA_TARGET);
        }
    }

    /** Per-minute series and per-day outcomes of one replay. */
    public static final class Result {
        public final long start;
        public final int minutes;
        public final int days;
        public final double[] load; // mean arrival rate of each minute, req/s
        public final int[] predictiveReplicas; // asked for during each minute
        public final int[] hpaReplicas;
        public final boolean[] predictiveViolated;
        public final boolean[] hpaViolated;
        public final Outcome predictive;
        public final Outcome hpa;
        /** The planner's cumulative forecast score at the end of each day (null before the first one). */
        public final ForecastScore[] scoreAtDayEnd;

        Result(long start, int minutes, Outcome predictive, Outcome hpa) {
            this.start = start;
            this.minutes = minutes;
            this.days = (minutes + 1439) / 1440;
            this.load = new double[minutes];
            this.predictiveReplicas = new int[minutes];
            this.hpaReplicas = new int[minutes];
            this.predictiveViolated = new boolean[minutes];
            this.hpaViolated = new boolean[minutes];
            this.predictive = predictive;
            this.hpa = hpa;
            this.scoreAtDayEnd = new ForecastScore[days];
        }
    }

    /** The arrival rate at time x: linear between the neighbouring points, constant beyond the ends. */
    static final class Load {
        final long[] ts;
        final double[] v;
        final double scale;
        int i; // ts[i] <= x < ts[i + 1] for the last x asked (x only increases)

        Load(Trace t, double scale) {
            this.ts = t.ts();
            this.v = t.values();
            this.scale = scale;
        }

        double at(long x) {
            while (i + 1 < ts.length && ts[i + 1] <= x) i++;
            if (x <= ts[0]) return v[0] * scale;
            if (i + 1 >= ts.length) return v[ts.length - 1] * scale;
            double f = (double) (x - ts[i]) / (ts[i + 1] - ts[i]);
            return (v[i] + f * (v[i + 1] - v[i])) * scale;
        }
    }

    /**
     * Replays the trace. {@code dayDone} is called with the number of days replayed after each day.
     */
    public static Result run(Trace trace, Sizing sizing, Settings settings, IntConsumer dayDone) throws Exception {
        long start = Math.floorDiv(trace.ts()[0], ScaleReplay.MINUTE) * ScaleReplay.MINUTE;
        long lastMinute = Math.floorDiv(trace.ts()[trace.ts().length - 1], ScaleReplay.MINUTE) * ScaleReplay.MINUTE;
        int minutes = (int) ((lastMinute - start) / ScaleReplay.MINUTE) + 1;
        int days = (minutes + 1439) / 1440;
        String svc = "trace";
        ServiceSim pred = new ServiceSim(svc, sizing.serviceTime(), sizing.initialReplicas(), TIMEOUT_MS, sizing.slo(),
                days);
        ServiceSim hpa = new ServiceSim(svc, sizing.serviceTime(), sizing.initialReplicas(), TIMEOUT_MS, sizing.slo(),
                days);
        Hpa hpaState = new Hpa(settings.minReplicas(), settings.maxReplicas(), settings.hpaTarget());
        ScalingConfig cfg = ScalingConfig.defaults().with(b -> {
            b.mode = ScalingAction.MODE_ENFORCE;
            b.sloP99 = Duration.ofMillis(Math.round(sizing.slo() * 1000));
            b.minReplicas = settings.minReplicas();
            b.maxReplicas = settings.maxReplicas();
            b.scoreInterval = Duration.ofMinutes(1); // a score every window, so each day's end has one
        });
        Result r = new Result(start, minutes, pred.outcome, hpa.outcome);
        Load load = new Load(trace, sizing.scale());
        Random noiseP = new Random(settings.seed() * 1_000_003L + 1);
        Random noiseH = new Random(settings.seed() * 1_000_003L + 1); // same observation noise for both policies
        long startupMs = settings.startup().toMillis();
        int dt = sizing.judgeStepSeconds();
        try (Planner planner = new Planner(cfg)) {
            for (int m = 0; m < minutes; m++) {
                long ws = start + m * ScaleReplay.MINUTE;
                int day = m / 1440;
                double sum = 0;
                for (int s = 0; s < 60; s += dt) {
                    long t = ws + s * 1000L;
                    double lambda = load.at(t);
                    sum += lambda * dt;
                    pred.step(t, lambda, dt);
                    hpa.step(t, lambda, dt);
                }
                r.load[m] = sum / 60;
                r.predictiveReplicas[m] = pred.asked();
                r.hpaReplicas[m] = hpa.asked();
                r.predictiveViolated[m] = pred.endMinute(day, false);
                r.hpaViolated[m] = hpa.endMinute(day, false);
                ServiceLoad lp = pred.observe(ws, noiseP);
                ServiceLoad lh = hpa.observe(ws, noiseH);
                // Both decide at the end of minute m on what minute m showed; new replicas count from minute m + 1.
                for (ScalingAction a : planner.window(lp)) {
                    pred.setReplicas(a.desiredReplicas, ws + ScaleReplay.MINUTE, startupMs, day);
                }
                int d = hpaState.desired(ws + ScaleReplay.MINUTE, hpa.asked(), lh.cpuUtilisation);
                if (d != hpa.asked()) hpa.setReplicas(d, ws + ScaleReplay.MINUTE, startupMs, day);
                if (m % 1440 == 1439 || m == minutes - 1) {
                    r.scoreAtDayEnd[day] = planner.lastScore;
                    dayDone.accept(day + 1);
                }
            }
        }
        return r;
    }
}
