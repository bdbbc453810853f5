package io.hawkeye.jobs;

import io.hawkeye.jobs.elasticsearch.DocumentFunction;
import io.hawkeye.jobs.kafka.KafkaIO;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.ConfigOption;

/**
 * One output of the job, a row of {@link Outputs}: where a stream of records goes and how it is encoded.
 *
 * @param type             the record class: the indexer job reads the topic back into it ({@code RecordJson})
 * @param name             Kafka transactional-id suffix ({@code <kafka.group-id>-<name>}); keep it stable, a
 *                         restored job must find its pending transactions under the same prefix
 * @param topic            option naming the Kafka topic (exactly-once sink)
 * @param key              Kafka record key
 * @param value            Kafka record value (the record's JSON)
 * @param kafkaUid         stable uid of the Kafka sink (savepoints)
 * @param document         Elasticsearch index and deterministic document id; {@code null}: Kafka only. The
 *                         analytics job writes Kafka only; the indexer job ({@code io.hawkeye.jobs.index}) reads
 *                         the topic with read_committed and writes these documents
 * @param partitionBy      when not {@code null}, the stream is partitioned by this key before its sinks, so that
 *                         the updates of one record (an alert, an incident, an edge) are written in order
 * @param label            operator name: "Kafka: label"
 * @param <T> the record type
 */
public record Output<T>(
        Class<T> type,
        String name,
        ConfigOption<String> topic,
        KafkaIO.Bytes<T> key,
        KafkaIO.Bytes<T> value,
        String kafkaUid,
        DocumentFunction<T> document,
        KeySelector<T, String> partitionBy,
        String label) {

    /** A Kafka-only output. */
    static <T> Output<T> kafka(Class<T> type, String label, String name, String kafkaUid,
            ConfigOption<String> topic, KafkaIO.Bytes<T> key, KafkaIO.Bytes<T> value) {
        return new Output<>(type, name, topic, key, value, kafkaUid, null, null, label);
    }

    /** This output, also indexed in Elasticsearch as {@code document} (by the indexer job). */
    Output<T> andElasticsearch(DocumentFunction<T> document) {
        return new Output<>(type, name, topic, key, value, kafkaUid, document, partitionBy, label);
    }

    /** This output, partitioned by {@code by} before its sinks. */
    Output<T> partitionedBy(KeySelector<T, String> by) {
        return new Output<>(type, name, topic, key, value, kafkaUid, document, by, label);
    }

    /** Whether the output has an Elasticsearch index. */
    public boolean toElasticsearch() {
        return document != null;
    }
}
