package io.hawkeye.correlate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawkeye.correlate.GraphHistory.LearnedEdge;
import io.hawkeye.rca.ServiceGraph;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The graph as of an event time: an expired learned edge counts for times before its expiry only. */
class GraphHistoryTest {
    @Test
    void anExpiredEdgeCountsForEarlierTimesOnly() {
        GraphHistory h = new GraphHistory(List.of("frontend|checkout"));
        h.load(List.of(new LearnedEdge("checkout", "db", true, 100), new LearnedEdge("catalog", "db", false, 500)));
        ServiceGraph before = h.at(499);
        assertThat(before.callees("catalog")).containsExactly("db");
        assertThat(before.callees("frontend")).containsExactly("checkout");
        assertThat(h.at(300)).isSameAs(before);   // no expiry crossed: cached
        ServiceGraph after = h.at(500);
        assertThat(after.contains("catalog")).isFalse();
        assertThat(after.callees("checkout")).containsExactly("db");
        assertThat(after.callees("frontend")).containsExactly("checkout");
    }

    @Test
    void changedEdgesMustBeReloaded() {
        GraphHistory h = new GraphHistory(List.of());
        assertThat(h.isStale()).isTrue();
        assertThatThrownBy(() -> h.at(0)).isInstanceOf(IllegalStateException.class);
        h.load(List.of(new LearnedEdge("a", "b", true, 0)));
        ServiceGraph g = h.at(0);
        h.invalidate();
        h.load(List.of(new LearnedEdge("a", "b", true, 0), new LearnedEdge("b", "c", true, 0)));
        assertThat(h.at(0)).isNotSameAs(g);
        assertThat(h.at(0).callees("b")).containsExactly("c");
    }
}
