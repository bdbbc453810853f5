package io.hawkeye.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.stats.WindowStats;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;

class SeriesKeysTest {
    @Property(tries = 2000)
    void splitInvertsJoinAndDistinctPartsNeverShareAKey(@ForAll @StringLength(max = 20) String a,
            @ForAll @StringLength(max = 20) String b, @ForAll @StringLength(max = 20) String c,
            @ForAll @StringLength(max = 20) String d) {
        assertThat(SeriesKeys.split(SeriesKeys.join(a, b))).containsExactly(a, b);
        if (!(a.equals(c) && b.equals(d))) {
            assertThat(SeriesKeys.join(a, b)).isNotEqualTo(SeriesKeys.join(c, d));
        }
    }

    @Property(tries = 300)
    void documentIdsFitElasticsearchAndStayDeterministic(@ForAll @StringLength(max = 2000) String endpoint) {
        String id = SeriesKeys.documentId("checkout", endpoint, 1_700_000_000_000L);
        assertThat(id.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(SeriesKeys.MAX_DOCUMENT_ID_BYTES);
        assertThat(SeriesKeys.documentId("checkout", endpoint, 1_700_000_000_000L)).isEqualTo(id);
    }

    @net.jqwik.api.Example
    void theSeparatorInsideANameCannotMakeTwoSeriesCollide() {
        WindowStats x = new WindowStats(), y = new WindowStats();
        x.service = "a|b";
        x.endpoint = "c";
        y.service = "a";
        y.endpoint = "b|c";
        assertThat(WindowStats.seriesId(x.service, x.endpoint)).isEqualTo("a\\|b|c");
        assertThat(WindowStats.seriesId(y.service, y.endpoint)).isEqualTo("a|b\\|c");
        assertThat(x.documentId()).isNotEqualTo(y.documentId());
        // Plain names: exactly the keys of before (state and documents stay compatible).
        assertThat(WindowStats.seriesId("checkout", "POST /pay")).isEqualTo("checkout|POST /pay");
        assertThat(SeriesKeys.split("checkout|POST /pay")).isEqualTo(List.of("checkout", "POST /pay"));
        String longId = SeriesKeys.documentId("svc", "/x".repeat(400), 5L);
        assertThat(longId).startsWith("svc|/x/x").contains("#").hasSize(200 + 1 + 64);
    }
}
