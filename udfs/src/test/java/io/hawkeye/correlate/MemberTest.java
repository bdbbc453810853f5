package io.hawkeye.correlate;

import static io.hawkeye.correlate.IncidentTestData.alert;
import static io.hawkeye.correlate.IncidentTestData.resolved;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.Attribution;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The evidence of a member alert is its peak record, whole: score and attribution. */
class MemberTest {
    @Test
    void evidenceKeepsThePeakRecordsAttributionWhenLaterRecordsCarryNone() {
        Alert peak = alert("postgres", "multivariate", 0, 0.98);
        peak.attribution = List.of(new Attribution("log_rps", 0.8), new Attribution("log_p99", 0.2));
        Alert weaker = alert("postgres", "multivariate", 0, 0.65);   // below the attribution threshold: none
        weaker.windowStart += 60_000;
        Member m = new Member();
        m.update(peak);
        m.update(weaker);
        m.update(resolved(weaker, 3));

        Alert e = m.evidence();
        assertThat(e.score).isEqualTo(0.98);
        assertThat(e.attribution).extracting(a -> a.feature).containsExactly("log_rps", "log_p99");
        assertThat(e.status).isEqualTo(Alert.RESOLVED);
    }

    @Test
    void withoutAnyAttributionTheLatestRecordsIsUsed() {
        Alert a = alert("db", 0, 0.9);
        Member m = new Member();
        m.update(a);
        assertThat(m.evidence().attribution).isEmpty();
        assertThat(m.evidence().score).isEqualTo(0.9);
    }
}
