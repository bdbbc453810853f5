package io.hawkeye.jobs.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.alerts.Alert;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.detect.DetectorAlerts;
import io.hawkeye.jobs.testing.AlertmanagerProcess;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alertmanager bridge against a REAL Alertmanager (Debian's package, {@link AlertmanagerProcess}) with the
 * shipped configuration (deploy/alertmanager/alertmanager.yml): an incident's alerts are grouped by incident, its
 * symptoms inhibited by its cause, firing alerts stay active past their first {@code endsAt} because the bridge
 * re-sends them, and when the cause resolves, the symptoms that still fire become active. Skipped, saying why,
 * only where no Debian package source exists.
 */
class AlertmanagerITCase {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();
    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration RESEND = Duration.ofSeconds(2);

    @TempDir
    Path work;

    @Test
    void incidentsAreGroupedSymptomsInhibitedFiringAlertsKeptAndResolutionsApplied() throws Exception {
        Path binary;
        try {
            binary = AlertmanagerProcess.binary(Path.of(System.getProperty("hawkeye.test.dir", "target"), "alertmanager"));
        } catch (IllegalStateException e) {
            Assumptions.abort("no Alertmanager: " + e.getMessage());
            return;
        }
        String bootstrap = TestServices.kafkaBootstrap();
        String topic = "am-it-" + System.nanoTime();
        TestServices.createTopic(topic, 2);
        long now = System.currentTimeMillis();
        Alert cause = alert("db", "GET /orders", "p99_ms", "inc-1", null, now);
        Alert web = alert("web", "GET /", "p99_ms", "inc-1", "db", now);
        Alert api = alert("api", "GET /cart", "error_rate", "inc-1", "db", now);
        Alert lone = alert("cache", "get", "rps", null, null, now);
        KafkaTestUtil.produce(bootstrap, topic, List.of(json(cause), json(web), json(api), json(lone)));

        try (AlertmanagerProcess am = AlertmanagerProcess.start(binary,
                Path.of("..", "deploy", "alertmanager", "alertmanager.yml").toAbsolutePath(), work.resolve("am"))) {
            Map<String, String> options = new HashMap<>();
            options.put(HawkeyeOptions.KAFKA_BOOTSTRAP.key(), bootstrap);
            options.put(HawkeyeOptions.KAFKA_GROUP_ID.key(), topic);
            options.put(HawkeyeOptions.TOPIC_ANNOTATED_ALERTS.key(), topic);
            options.put(HawkeyeOptions.ALERTMANAGER_URL.key(), am.url());
            options.put(HawkeyeOptions.ALERTMANAGER_RESEND.key(), RESEND.toMillis() + "ms");
            options.put(HawkeyeOptions.ALERTMANAGER_RUNBOOK_URL.key(), "https://runbooks.example/{service}/{signal}");
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
            env.setParallelism(2);
            Configuration c = new Configuration();
            c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofSeconds(1));
            env.configure(c);
            AlertmanagerJob.define(env, HawkeyeOptions.configuration(options));
            JobClient job = env.executeAsync("alertmanager-it");
            try {
                // Grouped and inhibited as the shipped configuration says.
                Map<String, JsonNode> alerts = await(am, a -> a.size() == 4 && a.get("web").path("status")
                        .path("state").asText().equals("suppressed") && a.get("api").path("status").path("state")
                        .asText().equals("suppressed"));
                assertThat(alerts.get("db").path("status").path("state").asText()).isEqualTo("active");
                assertThat(alerts.get("cache").path("status").path("state").asText()).isEqualTo("active");
                assertThat(alerts.get("web").path("status").path("inhibitedBy")).hasSize(1);
                JsonNode db = alerts.get("db");
                assertThat(db.path("labels").path("alertname").asText()).isEqualTo("hawkeye_seasonal");
                assertThat(db.path("labels").path("incident_id").asText()).isEqualTo("inc-1");
                assertThat(db.path("labels").path("role").asText()).isEqualTo("cause");
                assertThat(alerts.get("web").path("labels").path("caused_by").asText()).isEqualTo("db");
                assertThat(db.path("annotations").path("runbook_url").asText())
                        .isEqualTo("https://runbooks.example/db/p99_ms");
                assertThat(db.path("annotations").path("summary").asText()).contains("db GET /orders p99_ms");
                JsonNode groups = get(am, "/api/v2/alerts/groups");
                boolean incidentGroup = false;
                for (JsonNode g : groups) {
                    if (g.path("labels").path("incident_id").asText().equals("inc-1")) {
                        incidentGroup = true;
                        assertThat(g.path("alerts")).hasSize(3);
                    }
                }
                assertThat(incidentGroup).as("one group for the incident: " + groups).isTrue();

                // Re-sent while firing: still active well after the first endsAt (4 resend intervals ahead).
                String firstEnd = db.path("endsAt").asText();
                Thread.sleep(RESEND.multipliedBy(6).toMillis());
                alerts = await(am, a -> a.size() == 4);
                assertThat(alerts.get("db").path("status").path("state").asText()).isEqualTo("active");
                assertThat(alerts.get("db").path("endsAt").asText()).isGreaterThan(firstEnd);

                // The cause resolves: it leaves Alertmanager's active alerts and its symptoms notify again.
                Alert resolved = alert("db", "GET /orders", "p99_ms", "inc-1", null, now);
                resolved.status = Alert.RESOLVED;
                resolved.endsAt = System.currentTimeMillis();
                KafkaTestUtil.produce(bootstrap, topic, List.of(json(resolved)));
                alerts = await(am, a -> !a.containsKey("db") && a.size() == 3
                        && a.get("web").path("status").path("state").asText().equals("active"));
                assertThat(alerts.get("api").path("status").path("state").asText()).isEqualTo("active");
            } finally {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    static Alert alert(String service, String endpoint, String signal, String incident, String causedBy, long now) {
        Alert a = DetectorAlerts.firing("seasonal", signal, service, endpoint, "warning", now - 120_000);
        a.value = 250;
        a.expected = 40;
        a.lower = 10;
        a.upper = 80;
        a.score = 0.999;
        a.windowStart = now - 60_000;
        a.windowEnd = now;
        a.incidentId = incident;
        a.causedBy = causedBy;
        return a;
    }

    static String json(Alert a) {
        return new String(a.toJson(), StandardCharsets.UTF_8);
    }

    /** Alertmanager's alerts by service label, once {@code ready} holds (at most a minute). */
    static Map<String, JsonNode> await(AlertmanagerProcess am, Predicate<Map<String, JsonNode>> ready)
            throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        Map<String, JsonNode> byService = Map.of();
        while (System.currentTimeMillis() < deadline) {
            byService = new TreeMap<>();
            for (JsonNode a : get(am, "/api/v2/alerts")) byService.put(a.path("labels").path("service").asText(), a);
            if (ready.test(byService)) return byService;
            Thread.sleep(250);
        }
        throw new AssertionError("Alertmanager's alerts never got there: " + byService);
    }

    static JsonNode get(AlertmanagerProcess am, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(am.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
