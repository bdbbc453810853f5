package io.hawkeye.jobs.correlate;

import static io.hawkeye.jobs.correlate.CorrelationTestData.MIN;
import static io.hawkeye.jobs.correlate.CorrelationTestData.T0;
import static io.hawkeye.jobs.correlate.CorrelationTestData.alert;
import static io.hawkeye.jobs.correlate.CorrelationTestData.resolved;
import static io.hawkeye.jobs.correlate.CorrelationTestData.span;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.telemetry.Span;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CorrelationWorkflow#build} on a MiniCluster (parallelism 2): 20 minutes of spans on five edges (one
 * span per edge every 5 s, every 10th of checkout→db failing) and a database fault (alerts on db, its callers
 * and the entry service) plus an unrelated alert. The grouping uses the static edges (alerts and graph updates
 * race in a bounded run); the learned graph is checked on the topology output.
 */
class CorrelationWorkflowTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    static final String[][] EDGES = {{"frontend", "checkout"}, {"checkout", "db"}, {"frontend", "catalog"},
        {"catalog", "db"}, {"reports", "warehouse"}};

    static List<Span> spans() {
        List<Span> out = new ArrayList<>();
        for (long t = T0; t < T0 + 20 * MIN; t += 5_000) {
            int i = (int) ((t - T0) / 5_000);
            for (String[] e : EDGES) {
                boolean error = e[1].equals("db") && e[0].equals("checkout") && i % 10 == 0;
                out.add(span(t, e[0], e[1], 10 + i % 5, error));
            }
            out.add(span(t, null, "frontend", 30, false));     // entry span: no edge
            out.add(span(t, "db", "db", 1, false));              // self-call: ignored
        }
        return out;
    }

    static List<Alert> alerts() {
        Alert db = alert("db", 5, 0.95);
        Alert checkout = alert("checkout", 6, 0.99);
        Alert catalog = alert("catalog", 6, 0.97);
        Alert frontend = alert("frontend", "error_rate", 7, 0.9);
        Alert warehouse = alert("warehouse", 6, 0.8);
        return List.of(db, checkout, catalog, frontend, warehouse, resolved(db, 12), resolved(checkout, 12),
                resolved(catalog, 13), resolved(frontend, 13), resolved(warehouse, 9));
    }

    @Test
    void databaseFaultBecomesOneIncidentAndTheGraphIsLearned() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<Span> spans = env.fromData(spans(), TypeInformation.of(Span.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Span>forBoundedOutOfOrderness(Duration.ofSeconds(5))
                        .withTimestampAssigner((s, ts) -> s.ts));
        DataStream<Alert> alerts = env.fromData(alerts(), TypeInformation.of(Alert.class)).setParallelism(1)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Alert>forMonotonousTimestamps()
                        .withTimestampAssigner((a, ts) -> Math.max(a.windowEnd, a.endsAt) - 1)).setParallelism(1);
        List<String> staticEdges = new ArrayList<>();
        for (String[] e : EDGES) if (!e[0].equals("reports")) staticEdges.add(e[0] + "|" + e[1]);
        staticEdges.add("reports|warehouse");
        CorrelationWorkflow.Outputs out = CorrelationWorkflow.build(spans, alerts,
                CorrelationConfig.defaults().withStaticEdges(staticEdges));
        CloseableIterator<TopologyEdge> topologyIt = out.topology().collectAsync();
        CloseableIterator<Incident> incidentIt = out.incidents().collectAsync();
        CloseableIterator<Alert> annotatedIt = out.annotatedAlerts().collectAsync();
        env.execute("correlation workflow test");

        Map<String, TopologyEdge> edges = new TreeMap<>();
        List<TopologyEdge> topology = new ArrayList<>();
        topologyIt.forEachRemaining(topology::add);
        for (TopologyEdge e : topology) edges.put(e.documentId(), e);   // the last snapshot per edge
        assertThat(edges.keySet()).containsExactly("catalog|db", "checkout|db", "frontend|catalog",
                "frontend|checkout", "reports|warehouse");
        TopologyEdge cd = edges.get("checkout|db");
        assertThat(cd.callsPerS).isEqualTo(0.2);        // 12 spans per minute
        // Last window: spans 228..239; span 230 failed; latencies 10 + i % 5 sum to 147.
        assertThat(cd.errorRate).isEqualTo(1.0 / 12);
        assertThat(cd.meanLatencyMs).isEqualTo(147.0 / 12);
        assertThat(cd.lastSeen).isEqualTo(T0 + 20 * MIN);
        assertThat(cd.staticEdge).isTrue();
        // 20 windows with traffic, one snapshot of 5 edges each; end of input fires the expiry timers too.
        assertThat(topology.stream().filter(e -> e.active).count()).isGreaterThanOrEqualTo(100);

        Map<String, Incident> incidents = new TreeMap<>();
        incidentIt.forEachRemaining(i -> incidents.put(i.incidentId, i));
        assertThat(incidents).hasSize(2);
        Incident dbIncident = incidents.values().stream().filter(i -> i.services.contains("db")).findFirst()
                .orElseThrow();
        assertThat(dbIncident.services).containsExactly("catalog", "checkout", "db", "frontend");
        assertThat(dbIncident.topCause).isEqualTo("db");
        assertThat(dbIncident.status).isEqualTo(Incident.RESOLVED);
        assertThat(dbIncident.resolvedAt).isEqualTo(T0 + 18 * MIN);
        assertThat(dbIncident.alertCount).isEqualTo(4);
        Incident other = incidents.values().stream().filter(i -> i != dbIncident).findFirst().orElseThrow();
        assertThat(other.services).containsExactly("warehouse");
        assertThat(other.status).isEqualTo(Incident.RESOLVED);

        Map<String, Alert> annotated = new TreeMap<>();
        annotatedIt.forEachRemaining(a -> annotated.put(a.service, a));
        assertThat(annotated.get("checkout").causedBy).isEqualTo("db");
        assertThat(annotated.get("frontend").causedBy).isEqualTo("db");
        assertThat(annotated.get("db").causedBy).isNull();
        assertThat(annotated.get("db").incidentId).isEqualTo(dbIncident.incidentId);
        assertThat(annotated.get("warehouse").causedBy).isNull();
        assertThat(annotated.get("warehouse").incidentId).isEqualTo(other.incidentId);
    }
}
