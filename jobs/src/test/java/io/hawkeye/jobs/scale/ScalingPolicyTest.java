package io.hawkeye.jobs.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The HPA-like safety rules, as a pure function. */
class ScalingPolicyTest {
    static final long S = 1000;
    final ScalingConfig cfg = ScalingConfig.defaults(); // 1..100 replicas, +max(100%, 4), 300 s, cooldown 120 s

    @Test
    void scaleUpIsLimitedPerStep() {
        assertThat(cfg.maxScaleUpTo(2)).isEqualTo(6); // +4 pods beats +100%
        assertThat(cfg.maxScaleUpTo(10)).isEqualTo(20); // +100% beats +4
        ScalerState st = new ScalerState();
        assertThat(ScalingPolicy.decide(st, cfg, 0, 3, 40)).isEqualTo(new ScalingPolicy.Decision(7,
                "max-step limits this step to +4"));
        ScalingConfig halfStep = cfg.with(b -> {
            b.maxStepPercent = 50;
            b.maxStepPods = 0;
        });
        ScalingConfig twoPods = cfg.with(b -> {
            b.maxStepPercent = 0;
            b.maxStepPods = 2;
        });
        assertThat(ScalingPolicy.decide(new ScalerState(), halfStep, 0, 10, 40).desired()).isEqualTo(15);
        assertThat(ScalingPolicy.decide(new ScalerState(), twoPods, 0, 10, 40).desired()).isEqualTo(12);
        assertThat(ScalingPolicy.decide(new ScalerState(), cfg, 0, 10, 12)).isEqualTo(
                new ScalingPolicy.Decision(12, ""));
    }

    @Test
    void scaleDownWaitsUntilHigherRecommendationsLeaveTheStabilisationWindow() {
        ScalerState st = new ScalerState();
        assertThat(ScalingPolicy.decide(st, cfg, 0, 10, 10)).isNull();
        // the load drops: recommendations of 4 from t = 60 s on; the 10 of t = 0 holds until it is 300 s old
        for (long t = 60; t < 300; t += 60) {
            assertThat(ScalingPolicy.decide(st, cfg, t * S, 10, 4)).as("t=%d s", t).isNull();
        }
        ScalingPolicy.Decision d = ScalingPolicy.decide(st, cfg, 300 * S, 10, 4);
        assertThat(d.desired()).isEqualTo(4);
        assertThat(st.recTimes).hasSizeLessThanOrEqualTo(5); // bounded history
    }

    @Test
    void scaleDownGoesOnlyToTheLargestRecentRecommendation() {
        ScalerState st = new ScalerState();
        ScalingPolicy.decide(st, cfg, 0, 10, 10);
        ScalingPolicy.decide(st, cfg, 100 * S, 10, 8);
        ScalingPolicy.decide(st, cfg, 200 * S, 10, 6);
        ScalingPolicy.Decision d = ScalingPolicy.decide(st, cfg, 300 * S, 10, 3);
        assertThat(d.desired()).isEqualTo(8);
        assertThat(d.note()).startsWith("stabilised");
    }

    @Test
    void minMaxCooldownAndNoRepeats() {
        ScalingConfig c = new ScalingConfig(Duration.ofMinutes(15), Duration.ofMillis(250), 0.7, 2, 12, 100, 4,
                Duration.ofSeconds(300), Duration.ofMinutes(2), "shadow", Duration.ZERO, java.util.Map.of(),
                Duration.ofDays(3), Duration.ofHours(1), true);
        ScalerState st = new ScalerState();
        assertThat(ScalingPolicy.decide(st, c, 0, 10, 50).desired()).isEqualTo(12); // max
        ScalingPolicy.recordAction(st, 0, 10, 12, 900 * S);
        assertThat(ScalingPolicy.decide(st, c, 60 * S, 10, 50)).as("cooldown").isNull();
        assertThat(ScalingPolicy.decide(st, c, 180 * S, 10, 50)).as("same action still valid").isNull();
        assertThat(ScalingPolicy.decide(st, c, 900 * S, 10, 50).desired()).as("expired: repeat").isEqualTo(12);
        ScalerState low = new ScalerState();
        assertThat(ScalingPolicy.decide(low, c, 0, 1, 1).desired()).as("below min").isEqualTo(2);
        assertThat(ScalingPolicy.decide(new ScalerState(), c, 0, 0, 5)).as("replicas unknown").isNull();
    }

    @Test
    void parsesOptions() {
        assertThat(ScalingConfig.parseMaxStep("100%,4")).containsExactly(100, 4);
        assertThat(ScalingConfig.parseMaxStep("50%")).containsExactly(50, 0);
        assertThat(ScalingConfig.parseRates("checkout=40, db = 120")).containsEntry("checkout", 40.0)
                .containsEntry("db", 120.0);
        assertThat(cfg.sloText()).isEqualTo("p99<=250ms");
        assertThat(cfg.mode()).isEqualTo("shadow");
        assertThat(cfg.horizon()).isEqualTo(Duration.ofMinutes(15));
        assertThat(cfg.stabilisationWindow()).isEqualTo(Duration.ofSeconds(300));
    }
}
