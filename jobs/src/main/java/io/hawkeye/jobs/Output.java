package io.hawkeye.jobs;

import io.hawkeye.jobs.elasticsearch.DocumentFunction;
import io.hawkeye.jobs.kafka.KafkaIO;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ConfigOption;

/**
 * One output of the job, a row of {@link Outputs}: where a stream of records goes and how it is encoded.
 *
 * @param name             Kafka transactional-id suffix ({@code <kafka.group-id>-<name>}); keep it stable, a
 *                         restored job must find its pending transactions under the same prefix
 * @param topic            option naming the Kafka topic (exactly-once sink)
 * @param key              Kafka record key
 * @param value            Kafka record value (the record's JSON)
 * @param kafkaUid         stable uid of the Kafka sink (savepoints)
 * @param document         Elasticsearch index and deterministic document id; {@code null}: Kafka only
 * @param elasticsearchUid stable uid of the Elasticsearch sink
 * @param partitionBy      when not {@code null}, the stream is partitioned by this key before its sinks, so that
 *                         the updates of one record (an alert, an incident, an edge) are written in order
 * @param label            operator names: "Kafka: label", "Elasticsearch: label"
 * @param <T> the record type
 */
public record Output<T>(
        String name,
        ConfigOption<String> topic,
        KafkaIO.Bytes<T> key,
        KafkaIO.Bytes<T> value,
        String kafkaUid,
        DocumentFunction<T> document,
        String elasticsearchUid,
        KeySelector<T, String> partitionBy,
        String label) {

    /** A Kafka-only output. */
    static <T> Output<T> kafka(String label, String name, String kafkaUid, ConfigOption<String> topic,
            KafkaIO.Bytes<T> key, KafkaIO.Bytes<T> value) {
        return new Output<>(name, topic, key, value, kafkaUid, null, null, null, label);
    }

    /** This output, also written to Elasticsearch as {@code document} by the sink {@code uid}. */
    Output<T> andElasticsearch(String uid, DocumentFunction<T> document) {
        return new Output<>(name, topic, key, value, kafkaUid, document, uid, partitionBy, label);
    }

    /** This output, partitioned by {@code by} before its sinks. */
    Output<T> partitionedBy(KeySelector<T, String> by) {
        return new Output<>(name, topic, key, value, kafkaUid, document, elasticsearchUid, by, label);
    }

    /** Whether the output has an Elasticsearch index. */
    public boolean toElasticsearch() {
        return document != null;
    }
}
