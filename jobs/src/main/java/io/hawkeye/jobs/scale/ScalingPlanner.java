package io.hawkeye.jobs.scale;

import io.hawkeye.capacity.CapacityModel;
import io.hawkeye.forecast.Forecast;
import io.hawkeye.forecast.ForecasterConfig;
import io.hawkeye.forecast.SeasonalForecaster;
import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.jobs.StateTtl;
import io.hawkeye.queueing.MMc;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.LoadForecast;
import io.hawkeye.scaling.ScalingAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-service scaler: for each {@link ServiceLoad} (one per window, in event-time order) it
 * <ol>
 *   <li>updates the service's {@link SeasonalForecaster} (keyed {@code ValueState<byte[]>}) with the window's rps
 *       and emits a {@link LoadForecast} for the window starting {@code horizon} after this one;</li>
 *   <li>updates the per-replica service rate μ — configured, or the ratio estimate Σ rps / Σ (replicas ×
 *       cpu_utilization) over windows with utilisation &gt; 5%, exponentially decayed; the smaller of the estimates
 *       with time constants 6 h and 1 min (a slowdown counts within minutes, a speed-up only in the long run);</li>
 *   <li>estimates the service time's variability from the window's latency p99: the lognormal shape σ at which the
 *       M/G/c model (μ, the window's replicas and busy replicas) puts 1% of the response times above it, a decayed
 *       mean over qualifying windows (time constant 6 h); cv² = e^{σ²} − 1, exponential (M/M/c) until 10 windows
 *       qualified ({@link #serviceTimeSigma});</li>
 *   <li>sizes the service with {@link CapacityModel#size}: the latency objective at λ = max(forecast upper bound,
 *       observed rps), the utilisation ceiling at the expected load max(point forecast, observed rps, recent level),
 *       with plan-ahead the largest of each up to horizon + plan-ahead; no change for the utilisation ceiling alone
 *       while the expected utilisation at the current count is within {@link #UTILISATION_TOLERANCE} of the target.
 *       The recommendation passes the {@link ScalingPolicy} safety rules; an action goes to side output
 *       {@link SideOutputs#SCALING_ACTIONS}. While the forecaster is LEARNING or its interval not yet calibrated,
 *       with {@code reactiveWarmup} λ = max(observed rps, p90 of the recent load: EWMA of ln rps, time constant
 *       15 min, + 1.28 EWMA standard deviations) for both and model {@code reactive-warmup+mmc} (or {@code +mgc});
 *       without it no action. No action while μ or the current replicas are unknown;</li>
 *   <li>scores the forecasts whose target window this is (side output {@link SideOutputs#FORECAST_SCORES}, every
 *       score interval): MAE, MASE against seasonal naive (the value one day before), interval coverage.</li>
 * </ol>
 * A service without windows for {@code stateTtl} of event time loses all its state (event-time timer, one per
 * service, moved forward on each window); processing-time TTLs back this up.
 */
public class ScalingPlanner extends KeyedProcessFunction<String, ServiceLoad, LoadForecast> {
    private static final long serialVersionUID = 1L;
    public static final String MODEL = "seasonal-v1";
    static final long DAY_MS = 86_400_000L;
    static final long MU_TAU_MS = 6 * 3_600_000L;
    static final long MU_SHORT_TAU_MS = 60_000L;
    static final double MIN_UTILISATION_FOR_MU = 0.05;
    /** Model name of actions sized reactively while the forecaster is not ready. */
    public static final String REACTIVE_MODEL = "reactive-warmup";
    /** Time constant of the EWMA mean and variance of ln(rps) behind the reactive warm-up's p90. */
    static final long LOAD_TAU_MS = 15 * 60_000L;
    /** Standard normal 0.9-quantile: the reactive p90, matching the forecast upper bound the scaler uses. */
    static final double Z90 = 1.2815515655446004;
    /** Time constant of the service-time shape (cv²) estimate: as slow as μ's long-term one. */
    static final long SHAPE_TAU_MS = MU_TAU_MS;
    /** Requests a window needs before its p99 counts for the shape: at least two above the 0.99-quantile. */
    static final double MIN_REQUESTS_FOR_SHAPE = 200;
    /**
     * Largest probability of waiting (Erlang C at the window's replicas and busy replicas) for a window's p99 to
     * count for the shape: beyond it the p99 says more about the wait model than about the service time.
     */
    static final double MAX_WAIT_PROBABILITY_FOR_SHAPE = 0.5;
    /**
     * Tolerance of the utilisation ceiling, Kubernetes' HPA default (--horizontal-pod-autoscaler-tolerance): no
     * change for utilisation alone while the expected utilisation at the current count is within 10% of the
     * target. The latency objective is not subject to it.
     */
    static final double UTILISATION_TOLERANCE = 0.1;
    /** Windows the shape estimate needs before it replaces the exponential assumption. */
    static final double MIN_WINDOWS_FOR_SHAPE = 10;

    private final ScalingConfig config;

    private transient ValueState<byte[]> forecaster;
    private transient ValueState<ScalerState> scaler;
    private transient MapState<Long, LoadForecast> pendingForecasts;
    private transient MapState<Long, Double> realised;
    private transient Counter ignored;
    private transient Counter resetForecasters;

    public ScalingPlanner(ScalingConfig config) {
        this.config = config;
    }

    @Override
    public void open(OpenContext openContext) {
        // Safety nets only (processing time); the event-time timer in processElement does the real cleanup.
        StateTtlConfig safety = StateTtl.of(config.stateTtl().plusDays(1));
        ValueStateDescriptor<byte[]> f = new ValueStateDescriptor<>("forecaster",
                org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        f.enableTimeToLive(safety);
        ValueStateDescriptor<ScalerState> s = new ValueStateDescriptor<>("scaler",
                TypeInformation.of(ScalerState.class));
        s.enableTimeToLive(safety);
        MapStateDescriptor<Long, LoadForecast> p = new MapStateDescriptor<>("pending-forecasts", Types.LONG,
                TypeInformation.of(LoadForecast.class));
        p.enableTimeToLive(safety);
        MapStateDescriptor<Long, Double> r = new MapStateDescriptor<>("realised-rps", Types.LONG, Types.DOUBLE);
        r.enableTimeToLive(StateTtl.of(StateTtl.atLeastRestoreHorizon(
                Duration.ofDays(1).plus(config.horizon()).plusHours(1))));
        forecaster = getRuntimeContext().getState(f);
        scaler = getRuntimeContext().getState(s);
        pendingForecasts = getRuntimeContext().getMapState(p);
        realised = getRuntimeContext().getMapState(r);
        ignored = getRuntimeContext().getMetricGroup().counter("ignoredOutOfOrderWindows");
        resetForecasters = getRuntimeContext().getMetricGroup().counter("resetForecasters");
    }

    @Override
    public void processElement(ServiceLoad load, Context ctx, Collector<LoadForecast> out) throws Exception {
        long now = load.windowEnd;
        long step = load.windowEnd - load.windowStart;
        ScalerState st = scaler.value();
        if (st == null) {
            st = new ScalerState();
            st.firstSeenAt = load.windowStart;
        } else if (now <= st.lastWindowEnd || step <= 0) {
            ignored.inc();
            return;
        }
        long ttlMillis = config.stateTtl().toMillis();
        if (st.lastWindowEnd != Long.MIN_VALUE) ctx.timerService().deleteEventTimeTimer(st.lastWindowEnd + ttlMillis);
        ctx.timerService().registerEventTimeTimer(now + ttlMillis);
        st.lastWindowEnd = now;

        score(st, load, ctx);

        SeasonalForecaster f = restoreForecaster(step);
        f.update(load.windowStart, load.rps);
        Forecast fc = f.forecast(config.horizon());
        LoadForecast lf = new LoadForecast();
        lf.service = load.service;
        lf.generatedAt = now;
        lf.targetTime = fc.targetMillis();
        lf.horizonMs = config.horizon().toMillis();
        lf.forecastRps = fc.value();
        lf.lower = fc.lower();
        lf.upper = fc.upper();
        lf.phase = fc.phase().name();
        lf.model = MODEL;
        out.collect(lf);
        if (fc.phase() != Forecast.Phase.LEARNING) pendingForecasts.put(lf.targetTime, lf);
        forecaster.update(f.toBytes());

        if (Double.isFinite(load.replicas) && load.replicas >= 0.5) st.replicas = (int) Math.round(load.replicas);
        if (load.rps > 0 && load.replicas >= 0.5 && load.cpuUtilisation > MIN_UTILISATION_FOR_MU) {
            double decay = Math.exp(-(double) step / MU_TAU_MS);
            st.muNum = st.muNum * decay + load.rps;
            st.muDen = st.muDen * decay + load.replicas * Math.min(1, load.cpuUtilisation);
            double shortDecay = Math.exp(-(double) step / MU_SHORT_TAU_MS);
            st.muShortNum = st.muShortNum * shortDecay + load.rps;
            st.muShortDen = st.muShortDen * shortDecay + load.replicas * Math.min(1, load.cpuUtilisation);
        }
        double sigma = serviceTimeSigma(load, step, st.longTermServiceRate());
        if (!Double.isNaN(sigma)) st.updateServiceTimeShape(sigma, Math.exp(-(double) step / SHAPE_TAU_MS));
        st.updateLoad(load.rps, 1 - Math.exp(-(double) step / LOAD_TAU_MS));
        plan(st, f, fc, load, ctx);
        scaler.update(st);
    }

    private SeasonalForecaster restoreForecaster(long step) throws Exception {
        byte[] bytes = forecaster.value();
        if (bytes != null) {
            try {
                SeasonalForecaster f = SeasonalForecaster.fromBytes(bytes);
                if (f.config().stepMillis() == step && f.config().horizonMillis() == config.horizon().toMillis()) {
                    return f;
                }
            } catch (IllegalArgumentException e) {
                // unreadable state: start afresh below
            }
            resetForecasters.inc(); // window size or horizon changed, or unreadable state
        }
        return new SeasonalForecaster(ForecasterConfig.of(Duration.ofMillis(step), config.horizon()));
    }

    /**
     * The window's estimate of the service time's lognormal shape σ, NaN when the window does not qualify: the σ
     * at which the M/G/c model (mean service time 1/μ from the long-term estimate, the window's replicas c, offered
     * load A = replicas × cpu_utilization, i.e. the busy replicas, and Erlang C of those) puts 1% of the response
     * times above the window's p99 ({@link CapacityModel#lognormalSigmaFromQuantile}). It qualifies with at least
     * {@link #MIN_REQUESTS_FOR_SHAPE} requests, a p99, utilisation below 0.9 (no backlog) and Erlang C at most
     * {@link #MAX_WAIT_PROBABILITY_FOR_SHAPE}. Assumes the latency is the service's own (a leaf service, or one whose
     * downstream time is part of what occupies a replica) and lognormal service times.
     */
    static double serviceTimeSigma(ServiceLoad load, long step, double mu) {
        if (!(mu > 0) || !(load.rps * step / 1000.0 >= MIN_REQUESTS_FOR_SHAPE)) return Double.NaN;
        if (!(load.p99Ms > 0) || Double.isInfinite(load.p99Ms)) return Double.NaN;
        if (!(load.replicas >= 0.5) || !(load.cpuUtilisation > 0) || load.cpuUtilisation >= 0.9) return Double.NaN;
        int c = (int) Math.round(load.replicas);
        double a = c * load.cpuUtilisation;
        if (MMc.erlangC(c, a) > MAX_WAIT_PROBABILITY_FOR_SHAPE) return Double.NaN;
        return CapacityModel.lognormalSigmaFromQuantile(new MMc(a * mu, mu, c), ScalingConfig.SLO_QUANTILE,
                load.p99Ms / 1000);
    }

    /** The per-replica service rate: configured, else estimated; NaN when unknown. */
    double serviceRate(String service, ScalerState st) {
        Double configured = config.serviceRates().get(service);
        return configured != null ? configured : st.serviceRate();
    }

    private void plan(ScalerState st, SeasonalForecaster f, Forecast fc, ServiceLoad load, Context ctx) {
        double mu = serviceRate(load.service, st);
        if (!(mu > 0) || st.replicas < 1) return;
        boolean predictive = fc.phase() != Forecast.Phase.LEARNING && fc.hasInterval();
        if (!predictive && !config.reactiveWarmup()) return;
        long horizon = config.horizon().toMillis();
        // λ for the latency objective: the forecast's upper bound (p90); λ for the utilisation ceiling: the point
        // forecast. The ceiling is headroom for what the model does not see (per-second bursts, μ error); on top of
        // the p90 it counted forecast error twice. While reactive both are the recent load's p90.
        double lambda = predictive ? fc.upper() : st.loadQuantile(Z90);
        if (!(lambda >= 0)) lambda = 0;
        double expected = predictive ? fc.value() : lambda;
        if (!(expected >= 0)) expected = 0;
        long peakAt = fc.targetMillis();
        if (predictive && !config.planAhead().isZero()) {
            long step = load.windowEnd - load.windowStart;
            long last = load.windowStart + horizon + config.planAhead().toMillis();
            for (long t = load.windowStart + step; t <= last; t += step) {
                Forecast g = f.forecastAt(t);
                if (g != null && g.hasInterval() && g.upper() > lambda) {
                    lambda = g.upper();
                    peakAt = t;
                }
                if (g != null && g.value() > expected) expected = g.value();
            }
        }
        // The utilisation ceiling never plans below the load that is there now: the window's rps, and the recent
        // level (geometric mean of the last ~15 min), for a forecast that lags a level shift.
        boolean reactive = predictive && load.rps > lambda;
        lambda = Math.max(lambda, load.rps);
        if (predictive) {
            expected = Math.max(expected, load.rps);
            if (!Double.isNaN(st.loadLogMean)) expected = Math.max(expected, Math.exp(st.loadLogMean));
        }
        expected = Math.min(lambda, expected);
        double cv2 = st.serviceTimeCv2(MIN_WINDOWS_FOR_SHAPE);
        double slo = config.sloP99().toMillis() / 1000.0;
        CapacityModel.Sizing sizing = CapacityModel.size(expected, lambda, mu, cv2, ScalingConfig.SLO_QUANTILE, slo,
                config.targetUtilisation(), config.minReplicas(), config.maxReplicas());
        int current = st.replicas;
        if (sizing.replicas() != current && current >= config.minReplicas() && current <= config.maxReplicas()
                && Math.abs(expected / (current * mu * config.targetUtilisation()) - 1) <= UTILISATION_TOLERANCE
                && CapacityModel.meetsLatency(lambda, mu, cv2, current, ScalingConfig.SLO_QUANTILE, slo)) {
            sizing = new CapacityModel.Sizing(current, expected / (current * mu), CapacityModel.responseTimeQuantile(
                    new MMc(lambda, mu, current), cv2, ScalingConfig.SLO_QUANTILE), true, "utilisation_tolerance");
        }
        ScalingPolicy.Decision d = ScalingPolicy.decide(st, config, load.windowEnd, st.replicas, sizing.replicas());
        if (d == null) return;

        MMc q = new MMc(lambda, mu, d.desired());
        String queue = Double.isNaN(cv2) ? "mmc" : "mgc";
        ScalingAction a = new ScalingAction();
        a.service = load.service;
        a.generatedAt = load.windowEnd;
        a.actionId = ScalingAction.actionId(a.service, a.generatedAt);
        a.currentReplicas = st.replicas;
        a.desiredReplicas = d.desired();
        // Reactive sizing is for the load now: forecast_rps is the observed rps, forecast_upper the λ used.
        a.forecastRps = predictive ? fc.value() : load.rps;
        a.forecastUpper = predictive ? fc.upper() : lambda;
        a.horizon = predictive ? config.horizon().toString() : Duration.ZERO.toString();
        a.slo = config.sloText();
        a.predictedP99AtDesired = CapacityModel.responseTimeQuantile(q, cv2, ScalingConfig.SLO_QUANTILE) * 1000;
        a.utilisationAtDesired = q.utilisation();
        a.serviceRate = mu;
        a.model = predictive ? MODEL + "/" + fc.phase().name() + "+" + queue : REACTIVE_MODEL + "+" + queue;
        a.validUntil = load.windowEnd + horizon;
        a.mode = config.mode();
        String source;
        if (!predictive) {
            source = String.format(Locale.ROOT, "reactive warm-up (forecaster %s): observed %.1f rps, p90 of recent"
                    + " windows %.1f rps", fc.phase() == Forecast.Phase.LEARNING ? "LEARNING" : "uncalibrated",
                    load.rps, st.loadQuantile(Z90));
        } else if (reactive) {
            source = String.format(Locale.ROOT, "observed %.1f rps (above the forecast p90)", load.rps);
        } else {
            source = String.format(Locale.ROOT, "forecast %.1f rps, p90 %.1f rps at +%d min", expected, lambda,
                    (peakAt - load.windowStart) / 60_000);
        }
        a.reason = String.format(Locale.ROOT, "%s: %s needs %d replicas (%s, mu %.2f/s, %s)%s",
                a.isScaleUp() ? "scale_up" : "scale_down", source, sizing.replicas(), sizing.limitedBy(), mu,
                Double.isNaN(cv2) ? "exponential service time" : String.format(Locale.ROOT,
                        "service-time cv2 %.2f", cv2), d.note().isEmpty() ? "" : "; " + d.note());
        ScalingPolicy.recordAction(st, a.generatedAt, a.currentReplicas, a.desiredReplicas, a.validUntil);
        ctx.output(SideOutputs.SCALING_ACTIONS, a);
    }

    private void score(ScalerState st, ServiceLoad load, Context ctx) throws Exception {
        long t = load.windowStart;
        Double naive = realised.get(t - DAY_MS);
        if (naive != null) realised.remove(t - DAY_MS);
        realised.put(t, load.rps);
        // Forecasts whose target is this window are scored; older ones (their window never came) are dropped.
        List<Long> done = new ArrayList<>();
        LoadForecast due = null;
        for (Iterator<Long> it = pendingForecasts.keys().iterator(); it.hasNext(); ) {
            long target = it.next();
            if (target == t) due = pendingForecasts.get(target);
            if (target <= t) done.add(target);
        }
        for (Long k : done) pendingForecasts.remove(k);
        if (due != null) {
            double y = load.rps;
            double err = Math.abs(y - due.forecastRps);
            if (st.scoreSince == Long.MIN_VALUE) st.scoreSince = t;
            st.scoreCount++;
            st.sumAbsError += err;
            if (naive != null) {
                st.naiveCount++;
                st.sumAbsErrorOnNaive += err;
                st.sumAbsErrorNaive += Math.abs(y - naive);
            }
            if (Double.isFinite(due.lower) && Double.isFinite(due.upper)) {
                st.intervalCount++;
                if (y >= due.lower && y <= due.upper) st.covered++;
                if (y <= due.upper) st.belowUpper++;
            }
        }
        long interval = config.scoreInterval().toMillis();
        long now = load.windowEnd;
        if (st.scoreCount > 0 && (st.lastScoreAt == Long.MIN_VALUE
                || Math.floorDiv(now, interval) != Math.floorDiv(st.lastScoreAt, interval))) {
            st.lastScoreAt = now;
            ForecastScore s = new ForecastScore();
            s.service = load.service;
            s.generatedAt = now;
            s.since = st.scoreSince;
            s.count = st.scoreCount;
            s.mae = st.sumAbsError / st.scoreCount;
            s.naiveCount = st.naiveCount;
            s.maeSeasonalNaive = st.naiveCount == 0 ? Double.NaN : st.sumAbsErrorNaive / st.naiveCount;
            s.mase = st.naiveCount == 0 || st.sumAbsErrorNaive == 0 ? Double.NaN
                    : st.sumAbsErrorOnNaive / st.sumAbsErrorNaive;
            s.intervalCount = st.intervalCount;
            s.coverage = st.intervalCount == 0 ? Double.NaN : (double) st.covered / st.intervalCount;
            s.belowUpper = st.intervalCount == 0 ? Double.NaN : (double) st.belowUpper / st.intervalCount;
            s.phase = due != null ? due.phase : null;
            ctx.output(SideOutputs.FORECAST_SCORES, s);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LoadForecast> out) throws Exception {
        ScalerState st = scaler.value();
        if (st == null || st.lastWindowEnd + config.stateTtl().toMillis() <= timestamp) {
            forecaster.clear();
            scaler.clear();
            pendingForecasts.clear();
            realised.clear();
        }
    }
}
