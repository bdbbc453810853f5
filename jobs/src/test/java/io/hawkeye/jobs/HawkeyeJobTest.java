package io.hawkeye.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.testing.OutputSamples;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

/** The production wiring builds, and every operator of it has a stable, unique uid (savepoint compatibility). */
class HawkeyeJobTest {
    @Test
    void everyOperatorOfTheFullJobHasAUniqueUid() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration conf = Configuration.fromMap(Map.of(
                HawkeyeOptions.KAFKA_BOOTSTRAP.key(), "127.0.0.1:1",
                HawkeyeOptions.ES_HOSTS.key(), "http://127.0.0.1:2",
                HawkeyeOptions.CAPABILITIES.key(), "window-stats,detection,scaling,correlation,call-edges"));
        HawkeyeJob.define(env, conf);
        StreamGraph graph = env.getStreamGraph();
        List<String> uids = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            assertThat(node.getTransformationUID()).as("uid of %s", node.getOperatorName()).isNotBlank();
            uids.add(node.getTransformationUID());
        }
        assertThat(uids).doesNotHaveDuplicates();
        assertThat(uids).contains("telemetry-source", "rules-source",
                "correlate-edge-windows", "correlate-graph", "correlate-incidents-v2");
        // Every uid is declared in the registry, or is a Kafka sink's of the output table (or its committer's,
        // which Flink derives from the sink's).
        Set<String> declared = new HashSet<>();
        for (Uid uid : Uid.values()) declared.add(uid.id());
        for (Output<?> o : Outputs.ALL) {
            declared.add(o.kafkaUid());
            declared.add("Sink Committer: " + o.kafkaUid());
        }
        assertThat(declared).containsAll(uids);
        // Every row of the output table is wired, with the uids of the savepoint contract.
        for (Output<?> o : Outputs.ALL) assertThat(uids).as(o.name()).contains(o.kafkaUid());
        assertThat(uids).contains("window-stats-kafka-sink", "dead-letter-kafka-sink", "incidents-kafka-sink");
        // No Elasticsearch sink, even with elasticsearch.hosts set: the indexer job writes Elasticsearch, so that
        // this job's checkpoints (and Kafka commits) never wait for it.
        assertThat(graph.getStreamNodes()).noneMatch(n -> n.getOperatorName().startsWith("Elasticsearch"));
    }

    @Test
    void theRegistryDeclaresEveryUidOnce() {
        Set<String> ids = new HashSet<>();
        for (Uid uid : Uid.values()) assertThat(ids.add(uid.id())).as("%s is unique", uid.id()).isTrue();
        for (Output<?> o : Outputs.ALL) assertThat(ids.add(o.kafkaUid())).as("%s is unique", o.kafkaUid()).isTrue();
    }

    /**
     * Every row's functions survive Java serialization (as Flink ships them) and apply to their own record type:
     * serializable method references to an inherited method (e.g. {@code X::toJson} of OutputRecord) deserialize to
     * the first such reference of the class, and the sinks then cast every record to one type.
     */
    @Test
    void everyRowsSerializerStillAppliesToItsOwnTypeAfterSerialization() throws Exception {
        Map<Output<?>, Object> samples = OutputSamples.of(Outputs.ALL);
        assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(Outputs.ALL);
        for (Map.Entry<Output<?>, Object> e : samples.entrySet()) {
            @SuppressWarnings("unchecked")
            Output<Object> o = (Output<Object>) e.getKey();
            Object record = e.getValue();
            ClassLoader cl = getClass().getClassLoader();
            assertThat(InstantiationUtil.clone(o.value(), cl).of(record)).as(o.name()).isNotEmpty();
            assertThat(InstantiationUtil.clone(o.key(), cl).of(record)).as(o.name()).isNotEmpty();
            if (o.toElasticsearch()) {
                assertThat(InstantiationUtil.clone(o.document(), cl).toDocument(record)).as(o.name()).isNotNull();
            }
            // The indexer reads the value back into the row's type: the round trip must give the same JSON.
            byte[] json = o.value().of(record);
            assertThat(o.value().of(io.hawkeye.json.RecordJson.read(json, o.type()))).as(o.name()).isEqualTo(json);
        }
    }
}
