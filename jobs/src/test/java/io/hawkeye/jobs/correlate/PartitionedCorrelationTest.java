package io.hawkeye.jobs.correlate;

import static io.hawkeye.jobs.correlate.CorrelationTestData.T0;
import static io.hawkeye.jobs.correlate.CorrelationTestData.alert;
import static io.hawkeye.jobs.correlate.CorrelationTestData.edge;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.jobs.HawkeyeOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * {@code correlate.partition-label}: two clusters running the same services (same names, same graph) fault at
 * the same time. Partitioned by the {@code cluster} label they form one incident each; unpartitioned they would
 * be one incident. Alerts without the label share the empty value.
 */
class PartitionedCorrelationTest {
    static final String[][] EDGES = {{"frontend", "checkout"}, {"checkout", "db"}};

    static KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> harness(CorrelationConfig c)
            throws Exception {
        KeyedBroadcastOperatorTestHarness<Integer, Alert, TopologyEdge, Incident> h = c.partitionLabel() == null
                ? ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new IncidentCorrelator(c),
                        new CorrelationWorkflow.Constant<Alert>(), Types.INT, IncidentCorrelator.GRAPH)
                : ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new IncidentCorrelator(c),
                        new CorrelationWorkflow.PartitionKey(c), Types.INT, IncidentCorrelator.GRAPH);
        h.open();
        for (String[] e : EDGES) h.processBroadcastElement(edge(e[0], e[1]), T0);
        return h;
    }

    static Alert in(String cluster, Alert a) {
        if (cluster != null) a.labels.put("cluster", cluster);
        return a;
    }

    static List<Alert> alerts() {
        return List.of(in("eu", alert("db", 5, 0.95)), in("us", alert("db", 5, 0.96)),
                in("eu", alert("checkout", 6, 0.9)), in("us", alert("checkout", 6, 0.9)),
                in(null, alert("checkout", 6, 0.9)));
    }

    static Map<String, Incident> run(CorrelationConfig c) throws Exception {
        try (var h = harness(c)) {
            for (Alert a : alerts()) h.processElement(a, a.windowEnd - 1);
            h.processWatermark(Long.MAX_VALUE);   // releases the buffered alerts and publishes the incidents
            h.processBroadcastWatermark(Long.MAX_VALUE);
            Map<String, Incident> m = new LinkedHashMap<>();
            for (Incident i : h.extractOutputValues()) m.put(i.incidentId, i);
            m.values().removeIf(i -> i.mergedInto != null);
            return m;
        }
    }

    @Test
    void partitionsByLabelValue() throws Exception {
        CorrelationConfig c = CorrelationConfig.from(new Configuration()
                .set(HawkeyeOptions.CORRELATE_PARTITION_LABEL, "cluster"));
        assertThat(c.partitionLabel()).isEqualTo("cluster");
        Map<String, Incident> incidents = run(c);
        assertThat(incidents.values()).extracting(i -> i.services).containsExactlyInAnyOrder(
                List.of("checkout", "db"), List.of("checkout", "db"), List.of("checkout"));
        assertThat(incidents.values()).extracting(i -> i.topCause).containsExactlyInAnyOrder("db", "db", "checkout");
        // The same first alert in two clusters: distinct incident ids.
        assertThat(incidents.keySet()).hasSize(3);
    }

    @Test
    void unpartitionedGroupsAcrossClusters() throws Exception {
        Map<String, Incident> incidents = run(CorrelationConfig.defaults());
        assertThat(incidents).hasSize(1);
        // Same service, signal and start in every cluster = the same occurrence: db and checkout.
        assertThat(incidents.values().iterator().next().alertCount).isEqualTo(2);
    }

    @Test
    void keyIsTheLabelValue() {
        CorrelationConfig c = CorrelationConfig.defaults().withPartitionLabel("cluster");
        var key = new CorrelationWorkflow.PartitionKey(c);
        assertThat(key.getKey(in("eu", alert("db", 5, 0.9)))).isEqualTo("eu".hashCode());
        assertThat(key.getKey(in(null, alert("db", 5, 0.9)))).isEqualTo("".hashCode());
        assertThat(CorrelationConfig.defaults().withPartitionLabel(" ").partitionLabel()).isNull();
    }
}
