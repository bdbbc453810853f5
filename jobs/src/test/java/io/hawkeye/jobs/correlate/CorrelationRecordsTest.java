package io.hawkeye.jobs.correlate;

import static io.hawkeye.jobs.correlate.CorrelationTestData.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.correlate.IncidentHead;
import io.hawkeye.correlate.IncidentState;
import io.hawkeye.correlate.Member;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CorrelationRecordsTest {
    @ParameterizedTest
    @ValueSource(classes = {TopologyEdge.class, Incident.class, IncidentState.class, EdgeStats.class,
        Alert.class, Member.class, IncidentHead.class})
    void isSerializedAsPojoWithoutGenericTypes(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }

    static Incident incident() {
        Incident i = new Incident();
        i.incidentId = Incident.incidentId("abc", T0);
        i.status = Incident.OPEN;
        i.openedAt = T0;
        i.updatedAt = T0 + 60_000;
        i.services = List.of("checkout", "db");
        i.alertIds = List.of("a1", "a2");
        i.alertCount = 2;
        i.firingCount = 2;
        i.lastAlertAt = T0 + 60_000;
        i.topCause = "db";
        i.rootCauses = List.of(new Incident.Cause("db", 0.9, "anomaly 1.00"), new Incident.Cause("checkout", 0.2,
                "symptom"));
        i.blastRadius = List.of(new Incident.Blast("checkout", 1, 1));
        return i;
    }

    @Test
    void incidentJsonIsSnakeCaseAndRoundTrips() {
        Incident i = incident();
        String json = new String(i.toJson(), StandardCharsets.UTF_8);
        assertThat(json).startsWith("{\"incident_id\":\"" + i.incidentId + "\",\"status\":\"open\","
                + "\"opened_at\":\"2026-01-01T12:00:00Z\"").contains("\"resolved_at\":null", "\"merged_into\":null",
                "\"top_cause\":\"db\"", "\"blast_radius\":[{\"service\":\"checkout\",\"hops\":1,\"alert_count\":1}]");
        assertThat(Incident.fromJson(i.toJson())).isEqualTo(i);
        assertThat(i.incidentId).hasSize(16).isEqualTo(Incident.incidentId("abc", T0))
                .isNotEqualTo(Incident.incidentId("abc", T0 + 1));
        assertThatThrownBy(() -> Incident.fromJson("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void edgeJsonRoundTrips() {
        TopologyEdge e = CorrelationTestData.edge("a", "b");
        e.updatedAt = T0;
        assertThat(new String(e.toJson(), StandardCharsets.UTF_8)).isEqualTo("{\"edge_id\":\"a|b\",\"caller\":\"a\","
                + "\"callee\":\"b\",\"calls_per_s\":1.0,\"error_rate\":0.0,\"mean_latency_ms\":0.0,"
                + "\"last_seen\":\"2026-01-01T12:00:00Z\",\"static\":false,\"active\":true,"
                + "\"updated_at\":\"2026-01-01T12:00:00Z\"}");
        assertThat(TopologyEdge.fromJson(e.toJson())).isEqualTo(e);
    }

    @Test
    void alertCarriesCausedBy() {
        Alert a = CorrelationTestData.alert("checkout", 0, 0.9);
        a.incidentId = "i1";
        a.causedBy = "db";
        assertThat(new String(a.toJson(), StandardCharsets.UTF_8)).contains("\"incident_id\":\"i1\"",
                "\"caused_by\":\"db\"");
        assertThat(Alert.fromJson(a.toJson())).isEqualTo(a);
    }

    /** The strict index templates map exactly the fields toJson writes. */
    @Test
    void indexTemplatesMatchTheJson() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Path dir = Path.of("..", "deploy", "elasticsearch", "templates");
        for (var e : Map.of("hawkeye-incidents", incident().toJson(), "hawkeye-topology",
                CorrelationTestData.edge("a", "b").toJson(), "hawkeye-alerts",
                CorrelationTestData.alert("a", 0, 1).toJson()).entrySet()) {
            var template = mapper.readTree(dir.resolve(e.getKey() + ".json").toFile()).path("template");
            assertThat(template.path("mappings").path("dynamic").asText()).isEqualTo("strict");
            assertThat(template.path("settings").path("number_of_replicas").asInt()).isZero();
            Set<String> mapped = new TreeSet<>();
            template.path("mappings").path("properties").fieldNames().forEachRemaining(mapped::add);
            Set<String> written = new TreeSet<>();
            mapper.readTree(e.getValue()).fieldNames().forEachRemaining(written::add);
            assertThat(mapped).as(e.getKey()).isEqualTo(written);
        }
        var causes = mapper.readTree(dir.resolve("hawkeye-incidents.json").toFile()).path("template")
                .path("mappings").path("properties").path("root_causes").path("properties");
        Set<String> mapped = new TreeSet<>();
        causes.fieldNames().forEachRemaining(mapped::add);
        assertThat(mapped).containsExactly("explanation", "score", "service");
    }
}
