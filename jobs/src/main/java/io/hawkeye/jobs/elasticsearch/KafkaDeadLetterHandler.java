package io.hawkeye.jobs.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes rejected documents to a Kafka dead-letter topic as JSON:
 *
 * <pre>{@code
 * {"reason":"elasticsearch_rejected", "error":"document_parsing_exception: ...", "status":400,
 *  "index":"hawkeye-window-stats-2026.01.01", "doc_id":"...", "received_at":"2026-...Z",
 *  "payload":{...the document...}}
 * }</pre>
 *
 * <p>{@code payload} is the document as JSON; a source that is not valid JSON (which is often why it
 * was rejected) is embedded as a string instead. The record key is the document id, so retries of
 * one document land in one partition.
 *
 * <p>Uses a plain {@link KafkaProducer} with {@code acks=all}: {@link #flush()} waits for every
 * record of a bulk response to be acknowledged before the sink completes that request, so dead
 * letters are at-least-once. Client properties (security, SASL, ...) pass through {@code
 * producerProperties}; they are never logged by this class.
 */
public class KafkaDeadLetterHandler implements FailedDocumentHandler {

    private static final long serialVersionUID = 1L;

    public static final String REASON = "elasticsearch_rejected";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String topic;
    private final HashMap<String, String> producerProperties;
    private final Clock clock;

    private transient Producer<byte[], byte[]> producer;
    private transient List<Future<?>> pending;

    /**
     * @param bootstrapServers Kafka bootstrap servers
     * @param topic dead-letter topic (must exist unless the broker auto-creates topics)
     * @param producerProperties extra producer properties; they override the defaults here
     */
    public KafkaDeadLetterHandler(
            String bootstrapServers, String topic, Map<String, String> producerProperties) {
        this(bootstrapServers, topic, producerProperties, Clock.systemUTC());
    }

    KafkaDeadLetterHandler(
            String bootstrapServers, String topic, Map<String, String> producerProperties, Clock clock) {
        this.topic = Objects.requireNonNull(topic, "topic");
        this.producerProperties = new HashMap<>();
        this.producerProperties.put(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                Objects.requireNonNull(bootstrapServers, "bootstrapServers"));
        this.producerProperties.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producerProperties.putAll(producerProperties);
        this.clock = clock;
    }

    @Override
    public void open(int subtaskIndex) {
        Properties props = new Properties();
        props.putAll(producerProperties);
        props.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "hawkeye-es-dlq-" + subtaskIndex);
        producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        pending = new ArrayList<>();
    }

    @Override
    public void handle(FailedDocument document) {
        byte[] key = document.id() == null ? null : document.id().getBytes(StandardCharsets.UTF_8);
        pending.add(producer.send(new ProducerRecord<>(topic, key, toJson(document, clock))));
    }

    @Override
    public void flush() throws Exception {
        producer.flush();
        try {
            for (Future<?> f : pending) {
                f.get(); // surfaces a failed send: fail the job rather than lose the document
            }
        } finally {
            pending.clear();
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close();
        }
    }

    public String getTopic() {
        return topic;
    }

    /** The dead-letter record for {@code document}, received now. */
    static byte[] toJson(FailedDocument document, Clock clock) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("reason", REASON);
        node.put("error", document.describeError());
        node.put("status", document.status());
        node.put("index", document.index());
        node.put("doc_id", document.id());
        node.put("received_at", clock.instant().toString());
        node.set("payload", payload(document));
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot encode dead letter", e);
        }
    }

    private static JsonNode payload(FailedDocument document) {
        try {
            JsonNode parsed = MAPPER.readTree(document.source());
            if (parsed != null && !parsed.isMissingNode()) {
                return parsed;
            }
        } catch (IOException notJson) {
            // fall through: keep the bytes as text so that nothing is lost
        }
        return MAPPER.getNodeFactory().textNode(document.sourceAsString());
    }

    @Override
    public String toString() {
        return "KafkaDeadLetterHandler{topic=" + topic + '}';
    }
}
