package io.hawkeye.jobs.percentiles;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-service series cap: the first names pass, later ones count as _other, idle names free their place. */
class SeriesCapTest {
    static final long MIN = 60_000;

    @Test
    void namesBeyondTheCapAreCountedAsOtherPerService() {
        SeriesCap cap = new SeriesCap(2, 10 * MIN);
        List<String> out = new ArrayList<>();
        out.add(cap.admit("api", "GET /a", 0));
        out.add(cap.admit("api", "GET /b", 0));
        out.add(cap.admit("api", "GET /user/17", 0));
        out.add(cap.admit("api", "GET /a", 0));
        out.add(cap.admit("web", "GET /", 0));          // another service has its own cap
        out.add(cap.admit("api", "GET /user/18", MIN));
        out.add(cap.admit("api", "_other", MIN));       // a name that is _other already stays it
        assertThat(out).containsExactly("GET /a", "GET /b", "_other", "GET /a", "GET /", "_other", "_other");
        assertThat(cap.folded("api")).isEqualTo(2);
        assertThat(cap.folded("web")).isZero();
    }

    @Test
    void anIdleNameFreesItsPlaceAtTheNextWindowOfAServiceAtItsCap() {
        SeriesCap cap = new SeriesCap(2, 10 * MIN);
        cap.admit("api", "GET /a", 0);
        cap.admit("api", "GET /b", 0);
        assertThat(cap.admit("api", "GET /b", 20 * MIN)).isEqualTo("GET /b");   // b stays active
        assertThat(cap.admit("api", "GET /c", 20 * MIN)).isEqualTo("GET /c");   // a idle for 20 min: c takes its place
        assertThat(cap.admit("api", "GET /d", 20 * MIN)).isEqualTo("_other");   // full again
        assertThat(cap.admit("api", "GET /a", 21 * MIN)).isEqualTo("_other");   // a lost its place
    }

    /** An attacker's stream of new names costs one scan of the admitted names per window, not one per name. */
    @Test
    void aFloodOfNewNamesIsFoldedAndTheAdmittedNamesStay() {
        SeriesCap cap = new SeriesCap(100, 10 * MIN);
        for (int i = 0; i < 100; i++) cap.admit("api", "GET /r" + i, 0);
        for (int i = 0; i < 1_000_000; i++) {
            assertThat(cap.admit("api", "GET /user/" + i, MIN)).isEqualTo("_other");
        }
        assertThat(cap.folded("api")).isEqualTo(1_000_000);
        assertThat(cap.admit("api", "GET /r7", MIN)).isEqualTo("GET /r7");
    }
}
