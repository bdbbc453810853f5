package io.hawkeye.jobs;

import io.hawkeye.jobs.elasticsearch.DocumentFunction;
import io.hawkeye.jobs.elasticsearch.ElasticsearchConnectionConfig;
import io.hawkeye.jobs.elasticsearch.ElasticsearchSink;
import io.hawkeye.jobs.elasticsearch.KafkaDeadLetterHandler;
import io.hawkeye.jobs.kafka.KafkaIO;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the rows of {@link Outputs} are written, injected into {@link HawkeyeJob#define}. {@link #of} is the
 * production one: exactly-once Kafka, and idempotent Elasticsearch when {@code elasticsearch.hosts} is set.
 * Implementations attach a sink with the row's uid and name.
 */
public interface Sinks {

    <T> void kafka(DataStream<T> stream, Output<T> output);

    <T> void elasticsearch(DataStream<T> stream, Output<T> output);

    /** Exactly-once Kafka sinks; Elasticsearch sinks only when {@code elasticsearch.hosts} is set. */
    static Sinks of(ReadableConfig conf) {
        boolean elasticsearch = conf.getOptional(HawkeyeOptions.ES_HOSTS).isPresent();
        return new Sinks() {
            @Override
            public <T> void kafka(DataStream<T> stream, Output<T> o) {
                stream.sinkTo(KafkaIO.exactlyOnceSink(conf, conf.get(o.topic()), o.name(), o.key(), o.value()))
                        .uid(o.kafkaUid()).name("Kafka: " + o.label());
            }

            @Override
            public <T> void elasticsearch(DataStream<T> stream, Output<T> o) {
                if (!elasticsearch) return;
                stream.sinkTo(elasticsearchSink(conf, o.document()))
                        .uid(o.elasticsearchUid()).name("Elasticsearch: " + o.label());
            }
        };
    }

    /**
     * An idempotent Elasticsearch sink: at-least-once delivery of documents with deterministic ids. Documents
     * Elasticsearch rejects (4xx per item) go to the dead-letter topic.
     */
    static <T> ElasticsearchSink<T> elasticsearchSink(ReadableConfig conf, DocumentFunction<T> documents) {
        List<String> hosts = Arrays.stream(conf.get(HawkeyeOptions.ES_HOSTS).split(",")).map(String::trim)
                .filter(h -> !h.isEmpty()).toList();
        Map<String, String> producer = new HashMap<>();
        KafkaIO.clientProperties(conf).forEach((k, v) -> producer.put(String.valueOf(k), String.valueOf(v)));
        return ElasticsearchSink.<T>builder()
                .setConnectionConfig(ElasticsearchConnectionConfig.fromEnvironment(hosts))
                .setDocumentFunction(documents)
                .setMaxBatchActions(conf.get(HawkeyeOptions.ES_BULK_ACTIONS))
                // Documents updated in place (alerts, incidents, late window revisions) must land in order: with
                // several bulk requests in flight a newer version could be overtaken by an older one. Each stream
                // reaches its sink partitioned by document id, so one request in flight per subtask keeps the order.
                .setMaxInFlightRequests(1)
                .setMaxTimeInBuffer(conf.get(HawkeyeOptions.ES_BULK_INTERVAL))
                .setFailedDocumentHandler(new KafkaDeadLetterHandler(KafkaIO.bootstrap(conf),
                        conf.get(HawkeyeOptions.TOPIC_DLQ), producer))
                .build();
    }
}
