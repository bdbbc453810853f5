package io.hawkeye.jobs.scale;

import static io.hawkeye.jobs.scale.ScalingTestData.DAY;
import static io.hawkeye.jobs.scale.ScalingTestData.MINUTE;
import static io.hawkeye.jobs.scale.ScalingTestData.MU;
import static io.hawkeye.jobs.scale.ScalingTestData.PEAK_OFFSET;
import static io.hawkeye.jobs.scale.ScalingTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.capacity.CapacityModel;
import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.queueing.MMc;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.LoadForecast;
import io.hawkeye.scaling.ScalingAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The scaler on a synthetic daily cycle (see {@link ScalingTestData}), in a closed loop: the test plays the
 * controller and applies every action from the next window on, as {@code ScalingActionApplier} would in
 * enforce mode.
 */
class ScalingPlannerTest {
    static final double SLO_S = 0.25;

    static KeyedOneInputStreamOperatorTestHarness<String, ServiceLoad, LoadForecast> harness(ScalingConfig cfg)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ScalingPlanner(cfg), l -> l.service,
                Types.STRING);
        h.open();
        return h;
    }

    /** The outcome of a closed-loop run: replicas in force per window, and every action. */
    record Run(int[] replicas, List<ScalingAction> actions, List<LoadForecast> forecasts,
            List<ForecastScore> scores) {}

    static Run closedLoop(ScalingConfig cfg, int days, int initialReplicas) throws Exception {
        try (var h = harness(cfg)) {
            int n = days * 1440;
            int[] replicas = new int[n];
            int current = initialReplicas;
            List<ScalingAction> actions = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replicas[i] = current;
                ServiceLoad l = ScalingTestData.load("checkout", i, 1, current);
                h.processElement(l, l.windowEnd - 1);
                h.processWatermark(l.windowEnd - 1);
                var side = h.getSideOutput(SideOutputs.SCALING_ACTIONS);
                if (side != null) {
                    for (StreamRecord<ScalingAction> r : side) {
                        actions.add(r.getValue());
                        current = r.getValue().desiredReplicas; // applied for the next window
                    }
                    side.clear();
                }
            }
            List<ForecastScore> scores = new ArrayList<>();
            var s = h.getSideOutput(SideOutputs.FORECAST_SCORES);
            if (s != null) s.forEach(r -> scores.add(r.getValue()));
            return new Run(replicas, actions, h.extractOutputValues(), scores);
        }
    }

    static double p99(double lambda, int replicas) {
        MMc q = new MMc(lambda, MU, replicas);
        return CapacityModel.responseTimeQuantile(q, 0.99);
    }

    @Test
    void scalesUpAheadOfTheDailyPeakAndMeetsTheSloThere() throws Exception {
        ScalingConfig cfg = ScalingConfig.defaults().with(b -> b.mode = "enforce");
        Run run = closedLoop(cfg, 3, 12);

        // 12 replicas cannot carry the 600 rps peak (ρ ≥ 1).
        assertThat(p99(600, 12)).isInfinite();
        for (int day = 1; day < 3; day++) {
            int peak = (int) ((day * DAY + PEAK_OFFSET) / MINUTE);
            long peakStart = T0 + day * DAY + PEAK_OFFSET;
            // every window of the peak hour ran with replicas meeting the SLO for the load that arrived
            for (int i = peak - 30; i <= peak + 30; i++) {
                assertThat(p99(ScalingTestData.rps(i, 1), run.replicas()[i])).as("window %d of day %d", i, day)
                        .isLessThanOrEqualTo(SLO_S);
            }
            // the last scale-up before the peak came before the peak window, and its count meets the SLO there
            ScalingAction last = run.actions().stream()
                    .filter(a -> a.isScaleUp() && a.generatedAt <= peakStart && a.generatedAt > peakStart - DAY / 2)
                    .reduce((a, b) -> b).orElseThrow();
            long lead = (peakStart - last.generatedAt) / MINUTE;
            // when did the replicas in force first reach the count the realised peak needs?
            int needed = 1;
            while (p99(ScalingTestData.rps(peak, 1), needed) > SLO_S) needed++;
            int reached = peak;
            while (run.replicas()[reached - 1] >= needed) reached--;
            System.out.printf("day %d: %d replicas meet the SLO at the peak (%.0f rps); in force from %d min before"
                    + " the peak window%n", day + 1, needed, ScalingTestData.rps(peak, 1), peak - reached);
            assertThat(peak - reached).isGreaterThanOrEqualTo(15);
            System.out.printf("day %d: last scale-up %d→%d at %d min before the peak; replicas at the peak %d;"
                    + " p99 at peak %.1f ms%n", day + 1, last.currentReplicas, last.desiredReplicas, lead,
                    run.replicas()[peak], 1000 * p99(ScalingTestData.rps(peak, 1), run.replicas()[peak]));
            assertThat(last.generatedAt).isLessThan(peakStart);
            assertThat(p99(ScalingTestData.rps(peak, 1), last.desiredReplicas)).isLessThanOrEqualTo(SLO_S);
            assertThat(last.predictedP99AtDesired).isLessThanOrEqualTo(250);
            assertThat(last.utilisationAtDesired).isLessThanOrEqualTo(0.7 + 1e-9);
            // the ramp's first scale-up happened at replicas that could not carry the peak
            ScalingAction first = run.actions().stream()
                    .filter(a -> a.isScaleUp() && a.generatedAt > peakStart - DAY / 2).findFirst().orElseThrow();
            assertThat(p99(600, first.currentReplicas)).isGreaterThan(SLO_S);
        }
    }

    @Test
    void noActionsWhileLearningWithoutWarmupThenSafetyRulesHold() throws Exception {
        ScalingConfig cfg = ScalingConfig.defaults().with(b -> {
            b.mode = "enforce";
            b.reactiveWarmup = false;
        });
        Run run = closedLoop(cfg, 3, 12);
        // day 1 is LEARNING: forecasts, but no action
        assertThat(run.forecasts()).hasSize(3 * 1440);
        assertThat(run.forecasts().subList(0, 1439)).allMatch(f -> f.phase.equals("LEARNING"));
        assertThat(run.actions()).allMatch(a -> a.generatedAt > T0 + DAY);
        assertThat(run.actions()).isNotEmpty();
        ScalingAction prev = null;
        for (ScalingAction a : run.actions()) {
            assertThat(a.desiredReplicas).isNotEqualTo(a.currentReplicas).isBetween(1, 100);
            if (a.isScaleUp()) assertThat(a.desiredReplicas).isLessThanOrEqualTo(cfg.maxScaleUpTo(a.currentReplicas));
            assertThat(a.mode).isEqualTo("enforce");
            assertThat(a.actionId).isEqualTo("checkout|" + a.generatedAt);
            assertThat(a.validUntil).isEqualTo(a.generatedAt + 15 * MINUTE);
            assertThat(a.slo).isEqualTo("p99<=250ms");
            assertThat(a.horizon).isEqualTo("PT15M");
            if (prev != null) assertThat(a.generatedAt - prev.generatedAt).isGreaterThanOrEqualTo(2 * MINUTE);
            prev = a;
        }
        // no scale-down below a scale-up of the last 300 s (stabilisation)
        for (ScalingAction down : run.actions()) {
            if (down.isScaleUp()) continue;
            for (ScalingAction up : run.actions()) {
                if (up.isScaleUp() && up.generatedAt < down.generatedAt && up.generatedAt > down.generatedAt - 300_000) {
                    assertThat(down.desiredReplicas).isGreaterThanOrEqualTo(up.desiredReplicas);
                }
            }
        }
        long ups = run.actions().stream().filter(ScalingAction::isScaleUp).count();
        System.out.printf("actions over days 2-3: %d (%d up, %d down); scores: %s%n", run.actions().size(), ups,
                run.actions().size() - ups, run.scores().get(run.scores().size() - 1));
        ForecastScore last = run.scores().get(run.scores().size() - 1);
        assertThat(last.count).isGreaterThan(1000);
        assertThat(last.mase).isLessThan(1.0); // beats seasonal naive on this series
        assertThat(last.coverage).isBetween(0.6, 0.95);
    }

    @Test
    void planAheadNeedsNoMoreScaleUpSteps() throws Exception {
        ScalingConfig base = ScalingConfig.defaults().with(b -> b.mode = "enforce");
        Run plain = closedLoop(base, 3, 12);
        Run ahead = closedLoop(base.with(b -> b.planAhead = Duration.ofHours(2)), 3, 12);
        long plainUps = plain.actions().stream().filter(a -> a.isScaleUp() && a.generatedAt > T0 + 2 * DAY).count();
        long aheadUps = ahead.actions().stream().filter(a -> a.isScaleUp() && a.generatedAt > T0 + 2 * DAY).count();
        long plainMinutes = 0;
        long aheadMinutes = 0;
        for (int i = 2 * 1440; i < 3 * 1440; i++) {
            plainMinutes += plain.replicas()[i];
            aheadMinutes += ahead.replicas()[i];
        }
        System.out.printf("day 3 scale-ups: plain %d, plan-ahead 2h %d; replica-minutes %d vs %d%n", plainUps,
                aheadUps, plainMinutes, aheadMinutes);
        // Since the utilisation tolerance groups the steps (issue 14) plan-ahead no longer saves any here (11 and 11);
        // it still sizes earlier for the coming peak, at more replica-minutes.
        assertThat(aheadUps).isLessThanOrEqualTo(plainUps);
        assertThat(aheadMinutes).isGreaterThan(plainMinutes);
    }

    @Test
    void shadowModeDoesNotRepeatTheSameActionWhileValid() throws Exception {
        // open loop: replicas stay at 12 as nobody applies shadow actions
        try (var h = harness(ScalingConfig.defaults())) {
            for (int i = 0; i < 3 * 1440; i++) {
                ServiceLoad l = ScalingTestData.load("checkout", i, 1, 12);
                h.processElement(l, l.windowEnd - 1);
            }
            List<ScalingAction> actions = new ArrayList<>();
            h.getSideOutput(SideOutputs.SCALING_ACTIONS).forEach(r -> actions.add(r.getValue()));
            assertThat(actions).isNotEmpty().allMatch(a -> a.mode.equals("shadow") && a.currentReplicas == 12);
            for (int k = 1; k < actions.size(); k++) {
                ScalingAction a = actions.get(k - 1);
                ScalingAction b = actions.get(k);
                if (a.desiredReplicas == b.desiredReplicas) assertThat(b.generatedAt).isGreaterThanOrEqualTo(a.validUntil);
            }
        }
    }

    @Test
    void stateOfAStoppedServiceIsDroppedAfterTheTtl() throws Exception {
        ScalingConfig cfg = ScalingConfig.defaults().with(b -> b.stateTtl = Duration.ofHours(2));
        try (var h = harness(cfg)) {
            for (int i = 0; i < 1500; i++) {
                ServiceLoad l = ScalingTestData.load("checkout", i, 1, 12);
                h.processElement(l, l.windowEnd - 1);
                h.processWatermark(l.windowEnd - 1);
            }
            assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            long lastEnd = ScalingTestData.start(1499) + MINUTE;
            h.processWatermark(lastEnd + Duration.ofHours(2).toMillis() - 1);
            assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
            h.processWatermark(lastEnd + Duration.ofHours(2).toMillis());
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
