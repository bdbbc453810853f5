package io.hawkeye.jobs.correlate;

import static io.hawkeye.json.JsonTestText.bytes;
import static io.hawkeye.json.JsonTestText.text;
import static io.hawkeye.json.JsonTestText.withEpochMillis;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The wire format of {@link TopologyEdge} (topic {@code hawkeye.topology}, index {@code hawkeye-topology}), pinned
 * to the exact text the hand-written writer produced before the shared codec (the strings below were written by
 * that code): field order, the computed {@code edge_id}, {@code static}, nulls for non-finite rates and unset
 * instants, instants with and without milliseconds. What it wrote reads back to the edge, also with instants
 * given as epoch milliseconds.
 */
class TopologyEdgeJsonTest {
    static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

    static final String LEARNED = "{\"edge_id\":\"checkout|payments-db\",\"caller\":\"checkout\","
            + "\"callee\":\"payments-db\",\"calls_per_s\":12.5,\"error_rate\":0.015625,\"mean_latency_ms\":48.123456789,"
            + "\"last_seen\":\"2026-01-05T00:00:10.123Z\",\"static\":false,\"active\":true,"
            + "\"updated_at\":\"2026-01-05T00:00:10.123Z\"}";
    static final String STATIC_UNSEEN = "{\"edge_id\":\"frontend|checkout\",\"caller\":\"frontend\","
            + "\"callee\":\"checkout\",\"calls_per_s\":0.0,\"error_rate\":0.0,\"mean_latency_ms\":0.0,"
            + "\"last_seen\":null,\"static\":true,\"active\":true,\"updated_at\":\"2026-01-05T00:00:00Z\"}";
    static final String EXPIRED = "{\"edge_id\":\"cart|redis\",\"caller\":\"cart\",\"callee\":\"redis\","
            + "\"calls_per_s\":null,\"error_rate\":1.0,\"mean_latency_ms\":null,"
            + "\"last_seen\":\"2026-01-04T23:50:00Z\",\"static\":false,\"active\":false,\"updated_at\":null}";

    /** Learned and active: fractional rates, instants with milliseconds. */
    static TopologyEdge learned() {
        TopologyEdge e = TopologyEdge.of("checkout", "payments-db", false);
        e.callsPerS = 12.5;
        e.errorRate = 0.015625;
        e.meanLatencyMs = 48.123456789;
        e.lastSeen = T0 + 10_123;
        e.updatedAt = T0 + 10_123;
        return e;
    }

    /** From the topology file, no traffic yet: zero rates, never seen (null). */
    static TopologyEdge staticUnseen() {
        TopologyEdge e = TopologyEdge.of("frontend", "checkout", true);
        e.updatedAt = T0;
        return e;
    }

    /** Expired (its last record): NaN and infinite rates (null), no snapshot time (null). */
    static TopologyEdge expired() {
        TopologyEdge e = TopologyEdge.of("cart", "redis", false);
        e.callsPerS = Double.POSITIVE_INFINITY;
        e.errorRate = 1;
        e.meanLatencyMs = Double.NaN;
        e.lastSeen = T0 - 600_000;
        e.active = false;
        return e;
    }

    static void readsBack(String json, TopologyEdge expected) {
        assertThat(TopologyEdge.fromJson(bytes(json))).isEqualTo(expected);
        assertThat(TopologyEdge.fromJson(withEpochMillis(json))).isEqualTo(expected);
    }

    @Test
    void writesTheWireFormat() {
        assertThat(text(learned().toJson())).isEqualTo(LEARNED);
        assertThat(text(staticUnseen().toJson())).isEqualTo(STATIC_UNSEEN);
        assertThat(text(expired().toJson())).isEqualTo(EXPIRED);
    }

    @Test
    void readsWhatWasWritten() {
        readsBack(LEARNED, learned());
        readsBack(STATIC_UNSEEN, staticUnseen());
        TopologyEdge expired = expired();
        expired.callsPerS = Double.NaN;
        readsBack(EXPIRED, expired);
        assertThat(TopologyEdge.fromJson(bytes(STATIC_UNSEEN)).staticEdge).isTrue();
        assertThat(TopologyEdge.fromJson(bytes(EXPIRED)).active).isFalse();
    }

    /** Null flags and times read as the defaults: active, not static, never seen. */
    @Test
    void nullsReadAsDefaults() {
        String json = LEARNED.replace("\"active\":true", "\"active\":null")
                .replace("\"static\":false", "\"static\":null")
                .replace("\"last_seen\":\"2026-01-05T00:00:10.123Z\"", "\"last_seen\":null");
        TopologyEdge expected = learned();
        expected.lastSeen = 0;
        assertThat(TopologyEdge.fromJson(bytes(json))).isEqualTo(expected);
    }

    @Test
    void malformedInputIsAnIllegalArgument() {
        for (String bad : new String[] {"[1]", "{\"caller\":", "null"}) {
            assertThatThrownBy(() -> TopologyEdge.fromJson(bytes(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The strict index template maps exactly the fields written. */
    @Test
    void indexTemplateMatchesTheJson() throws Exception {
        var mapper = new ObjectMapper();
        var props = mapper.readTree(Path.of("..", "deploy", "elasticsearch", "templates", "hawkeye-topology.json")
                .toFile()).path("template").path("mappings").path("properties");
        for (String json : new String[] {LEARNED, STATIC_UNSEEN, EXPIRED}) {
            assertThat(fieldNames(props)).isEqualTo(fieldNames(mapper.readTree(json)));
        }
    }

    static Set<String> fieldNames(JsonNode object) {
        Set<String> names = new TreeSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
