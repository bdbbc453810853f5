package io.hawkeye.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.rca.AlertEvidence;
import io.hawkeye.stats.CallEdgeStats;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A call edge's window becomes gap series of scope edge: service = caller, endpoint = callee. */
class EdgeSignalsTest {
    private static CallEdgeStats edge(int paired) {
        double[] client = new double[paired + 1], server = new double[paired + 1];
        for (int i = 0; i < paired; i++) {
            client[i] = 20 + i % 7;
            server[i] = 15;
        }
        client[paired] = 99;                       // one call whose callee span never came
        server[paired] = Double.NaN;
        return CallEdgeStats.of("web", "inventory", 60_000, 120_000, client, new boolean[paired + 1], server, 0.01);
    }

    @Test
    void gapMedianAlwaysAndP99FromMinRequestsPairedCalls() {
        List<SignalObservation> few = SignalObservation.of(edge(5), 20);
        assertThat(few).singleElement().satisfies(o -> {
            assertThat(o.scope).isEqualTo(AlertEvidence.EDGE_SCOPE);
            assertThat(o.service).isEqualTo("web");
            assertThat(o.endpoint).isEqualTo("inventory");
            assertThat(o.signal).isEqualTo("gap_p50_ms");
            assertThat(o.count).isEqualTo(5);      // paired calls: the unpaired one has no gap
            assertThat(o.windowStart).isEqualTo(60_000);
        });
        List<SignalObservation> many = SignalObservation.of(edge(50), 20);
        assertThat(many).extracting(o -> o.signal).containsExactly("gap_p50_ms", "gap_p99_ms");
        assertThat(many.get(1).value).isGreaterThan(many.get(0).value);
        assertThat(SignalObservation.of(edge(0), 20)).isEmpty();
    }
}
