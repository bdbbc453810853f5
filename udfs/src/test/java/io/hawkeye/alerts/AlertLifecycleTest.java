package io.hawkeye.alerts;

import static io.hawkeye.alerts.AlertLifecycle.Action.FIRE;
import static io.hawkeye.alerts.AlertLifecycle.Action.NONE;
import static io.hawkeye.alerts.AlertLifecycle.Action.RESOLVE;
import static io.hawkeye.alerts.AlertLifecycle.Action.UPDATE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawkeye.json.OutputRecordFixtures;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
    static final long W = 60_000;

    static List<AlertLifecycle.Action> run(LifecyclePolicy p, LifecycleState s, double... scores) {
        List<AlertLifecycle.Action> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) out.add(AlertLifecycle.step(p, s, scores[i], i * W, (i + 1) * W));
        return out;
    }

    @Test
    void firesOnceAfterForResolvesAfterQuiet() {
        LifecyclePolicy p = new LifecyclePolicy(0.9, 0.7, 2, 3, 2);
        LifecycleState s = new LifecycleState();
        List<AlertLifecycle.Action> a = run(p, s, 0.1, 0.95, 0.95, 0.99, 0.95, 0.92, 0.5, 0.4, 0.1);
        assertThat(a).containsExactly(NONE, NONE, FIRE, NONE, NONE, UPDATE, NONE, RESOLVE, NONE);
        assertThat(s.startsAt).isEqualTo(W);
        assertThat(s.lastActiveEnd).isEqualTo(6 * W);
        assertThat(s.idle()).isTrue();
    }

    @Test
    void singleWindowBlipsDoNotFireWithFor2() {
        LifecyclePolicy p = new LifecyclePolicy(0.9, 0.7, 2, 3, 2);
        assertThat(run(p, new LifecycleState(), 0.95, 0.1, 0.95, 0.1, 0.95)).containsOnly(NONE);
    }

    @Test
    void hysteresisKeepsAFlappingScoreAsOneAlert() {
        LifecyclePolicy p = new LifecyclePolicy(0.9, 0.7, 1, 100, 2);
        LifecycleState s = new LifecycleState();
        List<AlertLifecycle.Action> a = run(p, s, 0.95, 0.8, 0.92, 0.75, 0.91, 0.72, 0.95, 0.1, 0.1);
        assertThat(a.stream().filter(x -> x == FIRE)).hasSize(1);
        assertThat(a.stream().filter(x -> x == RESOLVE)).hasSize(1);
        assertThat(a.get(8)).isEqualTo(RESOLVE);
        // A single quiet window inside does not resolve either.
        LifecycleState s2 = new LifecycleState();
        assertThat(run(p, s2, 0.95, 0.1, 0.95, 0.1, 0.95)).containsExactly(FIRE, NONE, NONE, NONE, NONE);
    }

    @Test
    void refiresAfterResolution() {
        LifecyclePolicy p = new LifecyclePolicy(0.9, 0.7, 1, 100, 1);
        LifecycleState s = new LifecycleState();
        assertThat(run(p, s, 0.95, 0.1, 0.95)).containsExactly(FIRE, RESOLVE, FIRE);
        assertThat(s.startsAt).isEqualTo(2 * W);
    }

    @Test
    void rejectsInconsistentPolicy() {
        assertThatThrownBy(() -> new LifecyclePolicy(0.7, 0.9, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void alertJsonRoundTripsAndFingerprintIsStable() {
        Alert a = OutputRecordFixtures.firingAlert(); // p99_ms of checkout /pay, seasonal
        a.startsAt = 1_700_000_000_000L;
        a.windowStart = a.startsAt;
        a.windowEnd = a.startsAt + W;
        assertThat(Alert.fromJson(a.toJson())).isEqualTo(a);
        assertThat(a.alertId).hasSize(16).isEqualTo(Alert.fingerprint("checkout", "/pay", "p99_ms", "seasonal"))
                .isNotEqualTo(Alert.fingerprint("checkout", "/pay", "p50_ms", "seasonal"));
        assertThat(new String(a.toJson())).contains("\"ends_at\":null", "\"starts_at\":\"2023-11-14T22:13:20Z\"");
        assertThat(a.documentId()).isEqualTo(a.alertId + "|" + a.startsAt);
    }
}
