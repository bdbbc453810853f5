package io.hawkeye.jobs.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.Output;
import io.hawkeye.jobs.Outputs;
import io.hawkeye.jobs.correlate.TopologyEdge;
import io.hawkeye.jobs.elasticsearch.ElasticsearchDocument;
import io.hawkeye.jobs.testing.OutputSamples;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** The indexer job's wiring, the rows it indexes per capability, and the documents it makes of topic records. */
class IndexerJobTest {
    @Test
    void everyOperatorHasAUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        IndexerJob.define(env, Configuration.fromMap(Map.of(HawkeyeOptions.KAFKA_BOOTSTRAP.key(), "127.0.0.1:1",
                HawkeyeOptions.ES_HOSTS.key(), "http://127.0.0.1:2")));
        StreamGraph graph = env.getStreamGraph();
        List<String> uids = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) uids.add(node.getTransformationUID());
        assertThat(uids).containsExactly("indexer-kafka-source", "indexer-elasticsearch-sink");
        assertThat(org.apache.flink.api.common.typeinfo.TypeInformation.of(IndexDocument.class))
                .isInstanceOf(PojoTypeInfo.class);
    }

    @Test
    void indexesTheAnnotatedAlertsWhenCorrelatingElseTheRawOnes() {
        assertThat(Outputs.indexed(Set.of("window-stats"))).containsExactly(Outputs.WINDOW_STATS,
                Outputs.METRIC_STATS);
        assertThat(Outputs.indexed(Set.of("window-stats", "detection"))).contains(Outputs.ALERTS)
                .doesNotContain(Outputs.ANNOTATED_ALERTS, Outputs.INCIDENTS);
        assertThat(Outputs.indexed(Set.of("window-stats", "detection", "correlation", "scaling")))
                .containsExactlyInAnyOrder(Outputs.WINDOW_STATS, Outputs.METRIC_STATS, Outputs.FORECASTS,
                        Outputs.SCALING_ACTIONS, Outputs.ANNOTATED_ALERTS, Outputs.INCIDENTS, Outputs.TOPOLOGY);
        for (Output<?> o : Outputs.indexed(Set.of("window-stats", "detection", "correlation", "scaling"))) {
            assertThat(o.toElasticsearch()).as(o.name()).isTrue();
        }
    }

    /**
     * A record read from its topic becomes the document the row's function makes of the record (index, id), with
     * the Kafka value itself as the source — after the schema's Java serialization, as Flink ships it.
     */
    @Test
    void aTopicRecordBecomesItsRowsDocumentWithTheValueAsSource() throws Exception {
        Map<Output<?>, Object> samples = OutputSamples.of(Outputs.indexed(Set.of("window-stats", "detection",
                "correlation", "scaling")));
        samples.put(Outputs.TOPOLOGY, TopologyEdge.of("web", "db", true)); // a static edge (topology file)
        List<Output<?>> rows = new ArrayList<>(samples.keySet());
        List<String> topics = rows.stream().map(o -> "t-" + o.name()).toList();
        OutputDocuments schema = InstantiationUtil.clone(new OutputDocuments(rows, topics),
                getClass().getClassLoader());
        for (Map.Entry<Output<?>, Object> e : samples.entrySet()) {
            @SuppressWarnings("unchecked")
            Output<Object> o = (Output<Object>) e.getKey();
            byte[] value = o.value().of(e.getValue());
            ElasticsearchDocument expected = o.document().toDocument(e.getValue());
            IndexDocument d = schema.toDocument("t-" + o.name(), value);
            assertThat(d).as(o.name()).isEqualTo(IndexDocument.of(expected.getIndex(), expected.getId(), value));
            assertThat(d.source).isEqualTo(expected.getSource());
        }
        // Not Hawkeye's JSON, or a topic that is not indexed: no document (skipped and counted by the job).
        assertThat(schema.toDocument("t-" + Outputs.WINDOW_STATS.name(), "not json".getBytes(StandardCharsets.UTF_8)))
                .isNull();
        assertThat(schema.toDocument("elsewhere", "{}".getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
