package io.hawkeye.jobs;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(uids).contains(HawkeyeJob.UID_SOURCE, HawkeyeJob.UID_SINK_WINDOW_STATS,
                HawkeyeJob.UID_ES_WINDOW_STATS, HawkeyeJob.UID_SINK_SCALING_ACTIONS, HawkeyeJob.UID_SINK_ALERTS, HawkeyeJob.UID_ES_ALERTS);
        assertThat(uids).contains(io.hawkeye.jobs.correlate.CorrelationWorkflow.UID_EDGE_WINDOWS,
                io.hawkeye.jobs.correlate.CorrelationWorkflow.UID_GRAPH,
                io.hawkeye.jobs.correlate.CorrelationWorkflow.UID_INCIDENTS, HawkeyeJob.UID_SINK_INCIDENTS,
                HawkeyeJob.UID_ES_INCIDENTS, HawkeyeJob.UID_SINK_TOPOLOGY, HawkeyeJob.UID_ES_TOPOLOGY,
                HawkeyeJob.UID_SINK_ANNOTATED_ALERTS);
    }
}
