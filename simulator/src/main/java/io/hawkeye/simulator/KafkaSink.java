package io.hawkeye.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends records to one Kafka topic with a plain {@link KafkaProducer}: key = service name (UTF-8), value =
 * the JSON, record timestamp = the event time. Defaults favour throughput without losing data: lz4,
 * linger.ms 5, acks=all (idempotence stays on, so retries do not duplicate). {@code extra} properties
 * (SASL, TLS, …) override the defaults; they are never logged because they may hold secrets.
 *
 * <p>Sends are asynchronous; the first failure is rethrown by the next {@link #emit}, {@link #flush} or
 * {@link #close} so a broken broker stops the simulation instead of dropping data silently.
 */
public final class KafkaSink implements TelemetrySink {

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    public KafkaSink(String bootstrapServers, String topic, Map<String, String> extra) {
        this.topic = topic;
        this.producer = new KafkaProducer<>(config(bootstrapServers, extra), new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    /** The producer configuration; visible for tests. */
    public static Properties config(String bootstrapServers, Map<String, String> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "131072");
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "hawkeye-simulator");
        p.putAll(extra);
        return p;
    }

    @Override
    public void emit(String key, String json, long tsMillis) {
        rethrow();
        producer.send(new ProducerRecord<>(topic, null, tsMillis, key.getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8)), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
    }

    @Override
    public void flush() {
        producer.flush();
        rethrow();
    }

    @Override
    public void close() {
        try {
            producer.flush();
        } finally {
            producer.close(Duration.ofSeconds(30));
        }
        rethrow();
    }

    private void rethrow() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("sending to Kafka topic " + topic + " failed", e);
        }
    }
}
