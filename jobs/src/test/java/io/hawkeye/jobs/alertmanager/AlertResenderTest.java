package io.hawkeye.jobs.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.alerts.Alert;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class AlertResenderTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long NOW = 1_796_000_000_000L;
    static final Duration RESEND = Duration.ofMinutes(1);

    static KeyedOneInputStreamOperatorTestHarness<String, Alert, String> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<String, Alert, String>(
                new KeyedProcessOperator<>(new AlertResender(new AlertmanagerAlerts(null, null), RESEND)),
                a -> a.alertId, Types.STRING);
        h.open();
        h.setProcessingTime(NOW);
        return h;
    }

    static List<JsonNode> drain(KeyedOneInputStreamOperatorTestHarness<String, Alert, String> h) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String s : h.extractOutputValues()) out.add(JSON.readTree(s));
        h.getOutput().clear();
        return out;
    }

    @Test
    void firingIsSentAtOnceAndEveryResendIntervalWithEndsAtFourIntervalsAheadUntilResolved() throws Exception {
        try (var h = harness()) {
            Alert a = AlertmanagerITCase.alert("db", "GET /orders", "p99_ms", null, null, NOW);
            h.processElement(new StreamRecord<>(a, NOW));
            List<JsonNode> sent = drain(h);
            assertThat(sent).hasSize(1);
            assertThat(sent.get(0).path("endsAt").asText()).isEqualTo(Instant.ofEpochMilli(NOW + 4 * 60_000).toString());

            h.setProcessingTime(NOW + 60_000);
            h.setProcessingTime(NOW + 120_000);
            sent = drain(h);
            assertThat(sent).hasSize(2);
            assertThat(sent.get(1).path("endsAt").asText())
                    .isEqualTo(Instant.ofEpochMilli(NOW + 120_000 + 4 * 60_000).toString());

            Alert r = AlertmanagerITCase.alert("db", "GET /orders", "p99_ms", null, null, NOW);
            r.status = Alert.RESOLVED;
            r.endsAt = NOW + 150_000;
            h.processElement(new StreamRecord<>(r, NOW + 150_000));
            h.setProcessingTime(NOW + 10 * 60_000);
            sent = drain(h);
            assertThat(sent).as("the resolution, then nothing more").hasSize(1);
            assertThat(sent.get(0).path("endsAt").asText()).isEqualTo(Instant.ofEpochMilli(NOW + 150_000).toString());
            assertThat(h.numProcessingTimeTimers()).isZero();
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    @Test
    void anAlertThatJoinsAnIncidentIsResolvedUnderItsOldLabels() throws Exception {
        try (var h = harness()) {
            h.processElement(new StreamRecord<>(AlertmanagerITCase.alert("web", "GET /", "p99_ms", null, null, NOW), NOW));
            drain(h);
            h.setProcessingTime(NOW + 20_000);
            Alert member = AlertmanagerITCase.alert("web", "GET /", "p99_ms", "inc-1", "db", NOW);
            h.processElement(new StreamRecord<>(member, NOW + 20_000));
            List<JsonNode> sent = drain(h);
            assertThat(sent).hasSize(2);
            assertThat(sent.get(0).path("labels").has("incident_id")).isFalse();
            assertThat(sent.get(0).path("endsAt").asText()).isEqualTo(Instant.ofEpochMilli(NOW + 20_000).toString());
            JsonNode labels = sent.get(1).path("labels");
            assertThat(labels.path("incident_id").asText()).isEqualTo("inc-1");
            assertThat(labels.path("role").asText()).isEqualTo("symptom");
            assertThat(labels.path("caused_by").asText()).isEqualTo("db");
            assertThat(sent.get(1).path("annotations").path("root_cause").asText()).isEqualTo("db");
        }
    }

    @Test
    void recordsOlderThanAnHourOnArrivalAreNotSent() throws Exception {
        try (var h = harness()) {
            Alert old = AlertmanagerITCase.alert("db", "GET /orders", "p99_ms", null, null, NOW);
            h.processElement(new StreamRecord<>(old, NOW - AlertResender.MAX_AGE.toMillis() - 1));
            h.setProcessingTime(NOW + 5 * 60_000);
            assertThat(drain(h)).isEmpty();
        }
    }
}
