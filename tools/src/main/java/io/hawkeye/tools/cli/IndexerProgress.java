package io.hawkeye.tools.cli;

import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.Output;
import io.hawkeye.jobs.Outputs;
import io.hawkeye.jobs.index.IndexerJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the indexer job has got: its consumer group's committed offsets (committed on its checkpoints) against
 * the read_committed ends of the indexed topics. The demo waits on it before it counts Elasticsearch documents.
 */
final class IndexerProgress {
    private IndexerProgress() {}

    /** Waits (at most {@code timeout}) until the indexer has indexed what the topics hold now; true if it has. */
    static boolean await(String bootstrap, ReadableConfig conf, Duration timeout) {
        List<String> topics = new ArrayList<>();
        for (Output<?> o : Outputs.indexed(HawkeyeJob.capabilities(conf))) topics.add(conf.get(o.topic()));
        String group = conf.get(HawkeyeOptions.KAFKA_GROUP_ID) + IndexerJob.GROUP_SUFFIX;
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((t, d) ->
                    d.partitions().forEach(p -> latest.put(new TopicPartition(t, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                    .get(30, TimeUnit.SECONDS).forEach((tp, r) -> end.put(tp, r.offset()));
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> done = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                boolean caughtUp = end.entrySet().stream().allMatch(e -> e.getValue() == 0
                        || (done.get(e.getKey()) != null && done.get(e.getKey()).offset() >= e.getValue()));
                if (caughtUp) return true;
                Thread.sleep(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // progress is a convenience for the summary; the counts are printed anyway
        }
        return false;
    }
}
