package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.LifecyclePolicy;
import io.hawkeye.config.RecordCopies;
import io.hawkeye.detect.SeasonalConfig;
import io.hawkeye.detect.TailModel;
import io.hawkeye.detect.multivariate.MultivariateConfig;
import io.hawkeye.jobs.HawkeyeOptions;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.configuration.ReadableConfig;

/**
 * Settings of {@link DetectionWorkflow}: the alert lifecycle of the seasonal detector, the gap policy, state
 * lifetime and the threshold rules loaded at startup. Built from the job's options with {@link #from}; each
 * setting and its default is documented on {@link Builder}; {@link #with} copies with changes.
 */
public record DetectionConfig(
        int forWindows,
        int updateEveryWindows,
        int quietWindows,
        double fireScore,
        double keepScore,
        double falseAlarmsPerWeek,
        double minExpectedCount,
        long minRequests,
        long seriesIdleTimeoutMs,
        String seasonalSeverity,
        SeasonalConfig seasonal,
        boolean multivariate,
        MultivariateConfig multivariateModel,
        int multivariateCachedModels,
        List<RuleDefinition> rules) implements Serializable {

    public DetectionConfig {
        rules = List.copyOf(rules);
    }

    /** The defaults of {@link Builder} with the shipped threshold rules. */
    public static DetectionConfig defaults() {
        Builder b = new Builder();
        b.rules = RuleSet.defaults();
        return b.build();
    }

    /** A copy with the settings {@code change} makes on a builder holding this one's. */
    public DetectionConfig with(Consumer<Builder> change) {
        return RecordCopies.with(this, Builder::new, change);
    }

    /** The lifecycle with the fixed fire and keep scores: the multivariate detectors'. */
    public LifecyclePolicy seasonalPolicy() {
        return new LifecyclePolicy(fireScore, keepScore, forWindows, updateEveryWindows, quietWindows);
    }

    /**
     * The seasonal detector's lifecycle for a series with windows of {@code stepMs}: fire and keep scores from the
     * false-alarm budget ({@link TailModel#budgetPolicy}); with a budget ≤ 0 the fixed {@link #fireScore} and
     * {@link #keepScore}.
     */
    public LifecyclePolicy seasonalPolicy(long stepMs) {
        return TailModel.budgetPolicy(seasonalPolicy(), falseAlarmsPerWeek, stepMs);
    }

    /**
     * Reads the {@code detect.*} options. The rules file is parsed and validated here, so a bad rule fails the
     * job at startup with a message naming the rule ({@link RuleException}).
     */
    public static DetectionConfig from(ReadableConfig conf) {
        Builder c = new Builder();
        c.forWindows = conf.get(HawkeyeOptions.DETECT_FOR_WINDOWS);
        c.updateEveryWindows = conf.get(HawkeyeOptions.DETECT_UPDATE_EVERY);
        c.quietWindows = conf.get(HawkeyeOptions.DETECT_QUIET_WINDOWS);
        c.fireScore = conf.get(HawkeyeOptions.DETECT_FIRE_SCORE);
        c.keepScore = conf.get(HawkeyeOptions.DETECT_KEEP_SCORE);
        c.falseAlarmsPerWeek = conf.get(HawkeyeOptions.DETECT_FALSE_ALARMS_PER_WEEK);
        c.minExpectedCount = conf.get(HawkeyeOptions.DETECT_MIN_EXPECTED_COUNT);
        c.minRequests = conf.get(HawkeyeOptions.DETECT_MIN_REQUESTS);
        c.seriesIdleTimeoutMs = conf.get(HawkeyeOptions.DETECT_SERIES_IDLE_TIMEOUT).toMillis();
        c.seasonalSeverity = conf.get(HawkeyeOptions.DETECT_SEASONAL_SEVERITY);
        c.multivariate = conf.get(HawkeyeOptions.DETECT_MULTIVARIATE);
        c.multivariateModel = c.multivariateModel.with(m -> {
            m.refitEvery = conf.get(HawkeyeOptions.DETECT_MULTIVARIATE_REFIT_EVERY);
            m.minHistory = conf.get(HawkeyeOptions.DETECT_MULTIVARIATE_MIN_HISTORY);
            m.reservoirSize = conf.get(HawkeyeOptions.DETECT_MULTIVARIATE_SAMPLE_SIZE);
        });
        c.multivariateCachedModels = conf.get(HawkeyeOptions.DETECT_MULTIVARIATE_CACHED_MODELS);
        if (c.multivariateModel.refitEvery() < 1 || c.multivariateModel.minHistory() < 16
                || c.multivariateModel.reservoirSize() < 16 || c.multivariateCachedModels < 1) {
            throw new IllegalArgumentException("detect.multivariate.*: need refit-every >= 1, min-history >= 16, "
                    + "sample-size >= 16 and cached-models >= 1");
        }
        c.rules = conf.getOptional(HawkeyeOptions.DETECT_RULES_FILE)
                .map(f -> RuleSet.load(Path.of(f)))
                .orElseGet(RuleSet::defaults);
        DetectionConfig d = c.build();
        d.seasonalPolicy(); // validates the lifecycle settings now, not when the first window arrives
        if (!(d.falseAlarmsPerWeek >= 0)) {
            throw new IllegalArgumentException(HawkeyeOptions.DETECT_FALSE_ALARMS_PER_WEEK.key() + " must be >= 0");
        }
        if (d.seriesIdleTimeoutMs <= 0) {
            throw new IllegalArgumentException(HawkeyeOptions.DETECT_SERIES_IDLE_TIMEOUT.key() + " must be > 0");
        }
        return d;
    }

    /** The settings of a {@link DetectionConfig}, initially the defaults without threshold rules. */
    public static final class Builder {
        /** Consecutive windows at or above the fire score before an alert fires. */
        public int forWindows = 2;
        /** While firing, an update is emitted at most every this many windows. */
        public int updateEveryWindows = 5;
        /** Consecutive quiet windows after which an alert resolves (seasonal and rules). */
        public int quietWindows = 3;
        /** Fire score of the multivariate detectors (and of the seasonal one when {@link #falseAlarmsPerWeek} is 0). */
        public double fireScore = 0.9;
        /** Hysteresis: while firing, windows scoring at least this keep the alert active. */
        public double keepScore = 0.7;
        /**
         * False-alarm budget of the seasonal detector per series and week: its fire and keep scores follow from the
         * series' tail model and window size ({@link #seasonalPolicy(long)}); 0 = the fixed fire and keep scores.
         */
        public double falseAlarmsPerWeek = 1;
        /**
         * Gap policy for rps: an empty window counts as zero traffic only if the series expects ≥ this many
         * requests.
         */
        public double minExpectedCount = 5;
        /** error_rate and p99_ms are not scored for windows with fewer requests (a gap, not an observation). */
        public long minRequests = 10;
        /** A series without data for this long (event time) is forgotten: state and timers are removed. */
        public long seriesIdleTimeoutMs = Duration.ofDays(7).toMillis();
        public String seasonalSeverity = "warning";
        public SeasonalConfig seasonal = SeasonalConfig.defaults();
        /** Whether the multivariate detectors (isolation forest, relationship) run per service. */
        public boolean multivariate = true;
        public MultivariateConfig multivariateModel = MultivariateConfig.defaults();
        /** Deserialised forests kept in memory per operator instance (LRU; ≈ 5 MB of heap each). */
        public int multivariateCachedModels = 16;
        /** Threshold rules known at startup (file or shipped defaults); updates arrive on the rules topic. */
        public List<RuleDefinition> rules = new ArrayList<>();

        public Builder() {}

        public DetectionConfig build() {
            return RecordCopies.build(DetectionConfig.class, this);
        }
    }
}
