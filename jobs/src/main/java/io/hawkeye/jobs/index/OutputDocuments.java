package io.hawkeye.jobs.index;

import io.hawkeye.jobs.Output;
import io.hawkeye.jobs.elasticsearch.DocumentFunction;
import io.hawkeye.jobs.elasticsearch.ElasticsearchDocument;
import io.hawkeye.json.RecordJson;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka records of the job's output topics → the Elasticsearch documents of their {@link Output} rows: the value
 * is read into the row's record type (the one JSON codec, {@link RecordJson}) only to apply the row's document
 * function (daily index from event time, deterministic id); the document's source is the Kafka value itself, so
 * Elasticsearch holds exactly what read_committed consumers of the topic see.
 *
 * <p>A record that does not decode (not written by Hawkeye: the topics are Hawkeye's own) is skipped, logged with
 * its position and counted in the metric {@code indexerUndecodable}; the job never fails on data.
 */
public final class OutputDocuments implements KafkaRecordDeserializationSchema<IndexDocument> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OutputDocuments.class);

    /** The record type and document function of one topic. */
    private record Route(Class<?> type, DocumentFunction<Object> document) implements Serializable {}

    private final Map<String, Route> routes = new HashMap<>();
    private transient Counter undecodable;

    /** For the rows {@code outputs} written to the topics {@code topics} (same order). */
    @SuppressWarnings("unchecked")
    public OutputDocuments(List<Output<?>> outputs, List<String> topics) {
        for (int i = 0; i < outputs.size(); i++) {
            Output<?> o = outputs.get(i);
            if (!o.toElasticsearch()) throw new IllegalArgumentException(o.name() + " has no index");
            if (routes.put(topics.get(i), new Route(o.type(), (DocumentFunction<Object>) o.document())) != null) {
                throw new IllegalArgumentException("two indexed outputs on topic " + topics.get(i));
            }
        }
    }

    @Override
    public void open(org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext context) {
        undecodable = context.getMetricGroup().counter("indexerUndecodable");
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<IndexDocument> out) {
        IndexDocument d = toDocument(record.topic(), record.value());
        if (d != null) {
            out.collect(d);
            return;
        }
        if (undecodable != null) undecodable.inc();
        LOG.warn("Not indexed: undecodable record at {}-{}@{} ({} bytes)", record.topic(), record.partition(),
                record.offset(), record.value() == null ? 0 : record.value().length);
    }

    /** The document of a value of {@code topic}; null when it does not decode or the topic is not indexed. */
    public IndexDocument toDocument(String topic, byte[] value) {
        Route route = routes.get(topic);
        if (route == null || value == null) return null;
        try {
            ElasticsearchDocument doc = route.document().toDocument(RecordJson.read(value, route.type()));
            return IndexDocument.of(doc.getIndex(), doc.getId(), value);
        } catch (RuntimeException e) {
            LOG.debug("cannot decode {}: {}", topic, new String(value, StandardCharsets.UTF_8), e);
            return null;
        }
    }

    @Override
    public TypeInformation<IndexDocument> getProducedType() {
        return TypeInformation.of(IndexDocument.class);
    }
}
