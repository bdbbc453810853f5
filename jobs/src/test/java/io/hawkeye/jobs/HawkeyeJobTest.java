package io.hawkeye.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.correlate.CorrelationWorkflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/** The production wiring builds, and every operator of it has a stable, unique uid (savepoint compatibility). */
class HawkeyeJobTest {
    @Test
    void everyOperatorOfTheFullJobHasAUniqueUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = Configuration.fromMap(Map.of(
                HawkeyeOptions.KAFKA_BOOTSTRAP.key(), "127.0.0.1:1",
                HawkeyeOptions.ES_HOSTS.key(), "http://127.0.0.1:2",
                HawkeyeOptions.CAPABILITIES.key(), "window-stats,detection,scaling,correlation"));
        HawkeyeJob.define(env, conf);
        StreamGraph graph = env.getStreamGraph();
        List<String> uids = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            assertThat(node.getTransformationUID()).as("uid of %s", node.getOperatorName()).isNotBlank();
            uids.add(node.getTransformationUID());
        }
        assertThat(uids).doesNotHaveDuplicates();
        assertThat(uids).contains(Sources.UID_TELEMETRY, Sources.UID_RULES,
                CorrelationWorkflow.UID_EDGE_WINDOWS, CorrelationWorkflow.UID_GRAPH, CorrelationWorkflow.UID_INCIDENTS);
        // Every row of the output table is wired, with the uids of the savepoint contract.
        for (Output<?> o : Outputs.ALL) {
            assertThat(uids).as(o.name()).contains(o.kafkaUid());
            if (o.toElasticsearch()) assertThat(uids).as(o.name()).contains(o.elasticsearchUid());
        }
        assertThat(uids).contains("window-stats-kafka-sink", "dead-letter-kafka-sink",
                "window-stats-elasticsearch-sink", "alerts-elasticsearch-sink", "incidents-kafka-sink");
    }
}
