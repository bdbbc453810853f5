package io.hawkeye.jobs.index;

import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.Output;
import io.hawkeye.jobs.Outputs;
import io.hawkeye.jobs.Uid;
import io.hawkeye.jobs.elasticsearch.ElasticsearchConnectionConfig;
import io.hawkeye.jobs.elasticsearch.ElasticsearchDocument;
import io.hawkeye.jobs.elasticsearch.ElasticsearchSink;
import io.hawkeye.jobs.elasticsearch.KafkaDeadLetterHandler;
import io.hawkeye.jobs.kafka.KafkaIO;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The indexer job: Hawkeye's output topics → Elasticsearch, as a Kafka Connect sink connector would do it. It reads
 * the topics of the rows {@link Outputs#indexed} selects for the {@code capabilities} with {@code read_committed}
 * (only what the analytics job committed, never a result it later rolled back) and writes each record as the
 * document of its row: daily index from event time, deterministic id, the Kafka value as the source.
 *
 * <p>Why a job of its own: an Elasticsearch sink inside {@link HawkeyeJob} flushes on every checkpoint, so an
 * Elasticsearch outage stalled that job's checkpoints and with them every exactly-once Kafka commit (alerts,
 * incidents, scaling actions), and an outage longer than {@code kafka.transaction-timeout} forced a restart
 * (issue 15). Here an outage only stalls this job: the analytics job keeps committing, the topics buffer, and when
 * Elasticsearch is back this job catches up by itself from its checkpointed (and committed) offsets. Replays after
 * a restart re-send documents with the same ids: the index ends up with every document exactly once.
 *
 * <p>Order: every update of one document (an alert's, an incident's, a late window revision) has the same Kafka key,
 * hence one partition, read by one source subtask in order; the sink is chained to it and keeps one bulk request in
 * flight per subtask, so a newer version is never overtaken by an older one.
 *
 * <p>Options (the analytics job's, so both jobs can be submitted with the same arguments): {@code
 * kafka.bootstrap-servers}, {@code kafka.group-id} (the consumer group is {@code <group-id>-indexer}),
 * {@code kafka.properties-file}, {@code kafka.bounded} (stop at the topics' ends as of the start: backfills,
 * tests), {@code capabilities} and the {@code topic.*} names, {@code elasticsearch.hosts} (required),
 * {@code elasticsearch.bulk.*}, {@code topic.dlq} (documents Elasticsearch rejects). Without a checkpoint or
 * committed offsets it starts at the beginning of the topics.
 *
 * <pre>flink run -d -c io.hawkeye.jobs.index.IndexerJob hawkeye-jobs-*-flink-job.jar \
 *     --kafka.bootstrap-servers kafka:9092 --elasticsearch.hosts https://es:9200</pre>
 */
public final class IndexerJob {
    /** Suffix of the indexer's consumer group (and client ids) after {@code kafka.group-id}. */
    public static final String GROUP_SUFFIX = "-indexer";

    private IndexerJob() {}

    public static void main(String[] args) throws Exception {
        HawkeyeJob.run(args, "Hawkeye indexer", IndexerJob::applyClusterDefaults, IndexerJob::define);
    }

    /**
     * Checkpointing and max parallelism where the cluster leaves them unset (as {@link HawkeyeJob} does), and
     * unlimited tolerable checkpoint failures: while Elasticsearch is down a checkpoint cannot complete (the sink
     * flushes on it) and expires; the job should wait for Elasticsearch, not restart every checkpoint timeout.
     * No RocksDB: the job's only state is offsets and the sink's buffer.
     */
    public static void applyClusterDefaults(StreamExecutionEnvironment env, ReadableConfig conf) {
        Configuration defaults = HawkeyeJob.commonDefaults(env.getConfiguration(), conf);
        if (env.getConfiguration().getOptional(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER).isEmpty()) {
            defaults.set(CheckpointingOptions.TOLERABLE_FAILURE_NUMBER, Integer.MAX_VALUE);
        }
        env.configure(defaults);
    }

    /** Kafka (the indexed output topics, read_committed) → Elasticsearch. */
    public static void define(StreamExecutionEnvironment env, ReadableConfig conf) {
        List<Output<?>> outputs = Outputs.indexed(HawkeyeJob.capabilities(conf));
        List<String> topics = outputs.stream().map(o -> conf.get(o.topic())).toList();
        env.fromSource(source(conf, new OutputDocuments(outputs, topics), topics), WatermarkStrategy.noWatermarks(),
                        "Kafka: indexed outputs")
                .uid(Uid.INDEXER_SOURCE.id())
                .sinkTo(sink(conf))
                .uid(Uid.INDEXER_SINK.id()).name("Elasticsearch: indexed outputs");
    }

    static KafkaSource<IndexDocument> source(ReadableConfig conf, OutputDocuments documents, List<String> topics) {
        return KafkaIO.committedOutputsSource(conf, GROUP_SUFFIX, topics, documents);
    }

    /**
     * An idempotent Elasticsearch sink: at-least-once delivery of documents with deterministic ids. Documents
     * Elasticsearch rejects (4xx per item) go to the dead-letter topic.
     */
    static ElasticsearchSink<IndexDocument> sink(ReadableConfig conf) {
        String hostList = conf.getOptional(HawkeyeOptions.ES_HOSTS).orElseThrow(() -> new IllegalArgumentException(
                "option " + HawkeyeOptions.ES_HOSTS.key() + " is required by the indexer job"));
        List<String> hosts = Arrays.stream(hostList.split(",")).map(String::trim).filter(h -> !h.isEmpty()).toList();
        Map<String, String> producer = new HashMap<>();
        KafkaIO.clientProperties(conf).forEach((k, v) -> producer.put(String.valueOf(k), String.valueOf(v)));
        return ElasticsearchSink.<IndexDocument>builder()
                .setConnectionConfig(ElasticsearchConnectionConfig.fromEnvironment(hosts))
                .setDocumentFunction(d -> ElasticsearchDocument.of(d.index, d.id, d.source))
                .setMaxBatchActions(conf.get(HawkeyeOptions.ES_BULK_ACTIONS))
                // Documents updated in place (alerts, incidents, late window revisions) must land in order: with
                // several bulk requests in flight a newer version could be overtaken by an older one. The updates
                // of one document come from one partition, read by one subtask, in order (see the class comment).
                .setMaxInFlightRequests(1)
                .setMaxTimeInBuffer(conf.get(HawkeyeOptions.ES_BULK_INTERVAL))
                .setFailedDocumentHandler(new KafkaDeadLetterHandler(KafkaIO.bootstrap(conf),
                        conf.get(HawkeyeOptions.TOPIC_DLQ), producer))
                .build();
    }
}
