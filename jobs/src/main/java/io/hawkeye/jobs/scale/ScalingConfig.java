package io.hawkeye.jobs.scale;

import io.hawkeye.config.RecordCopies;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.scaling.ScalingAction;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of the streaming scaler ({@link ScalingWorkflow}); {@link #from(ReadableConfig)} reads the
 * {@code scaling.*} options of {@link HawkeyeOptions}, where each one is documented.
 *
 * @param horizon             forecast horizon; replicas are sized for the forecast this far ahead
 * @param sloP99              p99 response-time objective
 * @param targetUtilisation   utilisation ceiling at the expected load (point forecast, at least the load now)
 * @param minReplicas         fewest replicas recommended
 * @param maxReplicas         most replicas recommended
 * @param maxStepPercent      scale-up limit per action as a percentage of the current replicas (0 = none)
 * @param maxStepPods         scale-up limit per action in pods (0 = none); with both, the larger applies
 * @param stabilisationWindow scale down only to the largest recommendation of this past period
 * @param cooldown            least event time between two actions of one service
 * @param mode                {@code shadow} or {@code enforce}
 * @param planAhead           size for the largest upper bound over (now, now + horizon + planAhead]; 0 = off
 * @param serviceRates        configured per-replica service rates μ (requests/s) by service
 * @param stateTtl            state of a service without windows for this long (event time) is dropped
 * @param scoreInterval       event-time period of the forecast scorecards
 * @param reactiveWarmup      size from the observed load while the forecaster is not ready (LEARNING or
 *                            uncalibrated interval) instead of emitting no actions
 *
 * <p>{@link #with} copies with changes.
 */
public record ScalingConfig(
        Duration horizon,
        Duration sloP99,
        double targetUtilisation,
        int minReplicas,
        int maxReplicas,
        int maxStepPercent,
        int maxStepPods,
        Duration stabilisationWindow,
        Duration cooldown,
        String mode,
        Duration planAhead,
        Map<String, Double> serviceRates,
        Duration stateTtl,
        Duration scoreInterval,
        boolean reactiveWarmup) implements Serializable {

    /** The response-time quantile the SLO is about. */
    public static final double SLO_QUANTILE = 0.99;

    public ScalingConfig {
        if (horizon.isNegative() || horizon.isZero()) throw new IllegalArgumentException("scaling.horizon must be > 0");
        if (!(sloP99.toMillis() > 0)) throw new IllegalArgumentException("scaling.slo-p99 must be > 0");
        if (!(targetUtilisation > 0 && targetUtilisation <= 1)) {
            throw new IllegalArgumentException("scaling.target-utilisation must be in (0, 1]");
        }
        if (minReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("need 1 <= scaling.min-replicas <= scaling.max-replicas");
        }
        if (maxStepPercent < 0 || maxStepPods < 0 || (maxStepPercent == 0 && maxStepPods == 0)) {
            throw new IllegalArgumentException("scaling.max-step needs a positive percentage or pod count");
        }
        if (!ScalingAction.MODE_SHADOW.equals(mode) && !ScalingAction.MODE_ENFORCE.equals(mode)) {
            throw new IllegalArgumentException("scaling.mode must be shadow or enforce, got " + mode);
        }
        if (planAhead.isNegative() || stabilisationWindow.isNegative() || cooldown.isNegative()) {
            throw new IllegalArgumentException("scaling durations must not be negative");
        }
        if (stateTtl.compareTo(horizon) <= 0) throw new IllegalArgumentException("scaling.state-ttl must exceed the horizon");
        if (scoreInterval.isNegative() || scoreInterval.isZero()) {
            throw new IllegalArgumentException("scaling.score-interval must be > 0");
        }
        serviceRates = new HashMap<>(serviceRates);
    }

    /** The defaults of {@link HawkeyeOptions}. */
    public static ScalingConfig defaults() {
        return from(new org.apache.flink.configuration.Configuration());
    }

    public static ScalingConfig from(ReadableConfig conf) {
        int[] step = parseMaxStep(conf.get(HawkeyeOptions.SCALING_MAX_STEP));
        return new ScalingConfig(conf.get(HawkeyeOptions.SCALING_HORIZON), conf.get(HawkeyeOptions.SCALING_SLO_P99),
                conf.get(HawkeyeOptions.SCALING_TARGET_UTILISATION), conf.get(HawkeyeOptions.SCALING_MIN_REPLICAS),
                conf.get(HawkeyeOptions.SCALING_MAX_REPLICAS), step[0], step[1],
                conf.get(HawkeyeOptions.SCALING_STABILISATION_WINDOW), conf.get(HawkeyeOptions.SCALING_COOLDOWN),
                conf.get(HawkeyeOptions.SCALING_MODE).trim().toLowerCase(java.util.Locale.ROOT),
                conf.get(HawkeyeOptions.SCALING_PLAN_AHEAD),
                parseRates(conf.get(HawkeyeOptions.SCALING_SERVICE_RATES)),
                conf.get(HawkeyeOptions.SCALING_STATE_TTL), conf.get(HawkeyeOptions.SCALING_SCORE_INTERVAL),
                conf.get(HawkeyeOptions.SCALING_REACTIVE_WARMUP));
    }

    /** {@code "100%"}, {@code "4"} or {@code "100%,4"} → {percent, pods}. */
    static int[] parseMaxStep(String s) {
        int[] out = new int[2];
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            try {
                if (p.endsWith("%")) out[0] = Integer.parseInt(p.substring(0, p.length() - 1).trim());
                else out[1] = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("scaling.max-step: expected N% and/or N pods, got '" + s + "'");
            }
        }
        return out;
    }

    /** {@code "checkout=40, db=120"} → map. */
    static Map<String, Double> parseRates(String s) {
        Map<String, Double> m = new HashMap<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            int eq = p.lastIndexOf('=');
            double v;
            try {
                v = eq > 0 ? Double.parseDouble(p.substring(eq + 1).trim()) : Double.NaN;
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!(v > 0)) {
                throw new IllegalArgumentException("scaling.service-rates: expected SERVICE=RATE (> 0), got '" + p + "'");
            }
            m.put(p.substring(0, eq).trim(), v);
        }
        return m;
    }

    /** Largest replica count one scale-up may reach from {@code current}: +max(percent, pods), at least +1. */
    public int maxScaleUpTo(int current) {
        int byPercent = (int) Math.ceil(current * maxStepPercent / 100.0);
        return current + Math.max(1, Math.max(byPercent, maxStepPods));
    }

    /** The SLO as written in actions, e.g. {@code p99<=250ms}. */
    public String sloText() {
        return "p99<=" + sloP99.toMillis() + "ms";
    }

    /** A copy with the settings {@code change} makes on a builder holding this one's. */
    public ScalingConfig with(Consumer<Builder> change) {
        return RecordCopies.with(this, Builder::new, change);
    }

    /** The settings of a {@link ScalingConfig} (see its parameters), initially those of the config copied. */
    public static final class Builder {
        public Duration horizon;
        public Duration sloP99;
        public double targetUtilisation;
        public int minReplicas;
        public int maxReplicas;
        public int maxStepPercent;
        public int maxStepPods;
        public Duration stabilisationWindow;
        public Duration cooldown;
        public String mode;
        public Duration planAhead;
        public Map<String, Double> serviceRates;
        public Duration stateTtl;
        public Duration scoreInterval;
        public boolean reactiveWarmup;

        private Builder() {}

        public ScalingConfig build() {
            return RecordCopies.build(ScalingConfig.class, this);
        }
    }
}
