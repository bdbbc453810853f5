package io.hawkeye.jobs.kafka;

import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.ingest.TelemetryDeserializationSchema;
import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.telemetry.TelemetryParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka source and sinks of the jobs. Every output sink is transactional (EXACTLY_ONCE): records become visible
 * to {@code read_committed} consumers when the checkpoint that covers them completes.
 */
public final class KafkaIO {
    /** Environment variable holding {@code sasl.jaas.config}; read here so it never appears in job arguments. */
    public static final String ENV_SASL_JAAS = "HAWKEYE_KAFKA_SASL_JAAS_CONFIG";
    /**
     * Environment variable naming a client properties file used when {@code kafka.properties-file} is not given,
     * as the scaler reads it: on Kubernetes the file comes from an optional Secret, so a missing file means "no
     * extra settings" (logged) rather than a job that cannot start.
     */
    public static final String ENV_PROPERTIES_FILE = "HAWKEYE_KAFKA_PROPERTIES_FILE";

    private static final Logger LOG = LoggerFactory.getLogger(KafkaIO.class);

    private KafkaIO() {}

    /**
     * Extra client properties: the properties file ({@code kafka.properties-file}, which must exist, else the file
     * named by {@value #ENV_PROPERTIES_FILE} if it exists), then the JAAS config from the environment. Values are
     * never logged.
     */
    public static Properties clientProperties(ReadableConfig conf) {
        return clientProperties(conf, System.getenv());
    }

    static Properties clientProperties(ReadableConfig conf, Map<String, String> env) {
        Properties p = new Properties();
        Optional<Path> file = conf.getOptional(HawkeyeOptions.KAFKA_PROPERTIES_FILE).map(Path::of);
        String fromEnv = env.get(ENV_PROPERTIES_FILE);
        if (file.isEmpty() && fromEnv != null && !fromEnv.isBlank()) {
            if (Files.isRegularFile(Path.of(fromEnv))) {
                file = Optional.of(Path.of(fromEnv));
            } else {
                LOG.warn("No Kafka client settings at {} ({}): connecting without them", fromEnv,
                        ENV_PROPERTIES_FILE);
            }
        }
        file.ifPresent(f -> {
            try (InputStream in = Files.newInputStream(f)) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the Kafka client properties file " + f, e);
            }
        });
        String jaas = env.get(ENV_SASL_JAAS);
        if (jaas != null && !jaas.isBlank()) p.setProperty("sasl.jaas.config", jaas);
        return p;
    }

    public static String bootstrap(ReadableConfig conf) {
        return conf.getOptional(HawkeyeOptions.KAFKA_BOOTSTRAP).orElseThrow(() -> new IllegalArgumentException(
                "option " + HawkeyeOptions.KAFKA_BOOTSTRAP.key() + " is required"));
    }

    /**
     * A source over the analytics job's output topics for a job downstream of it (the indexer, the Alertmanager
     * bridge): consumer group {@code kafka.group-id + groupSuffix}, from its committed offsets (else the
     * beginning), only committed records ({@code read_committed}: never a result of a transaction the analytics
     * job aborted), bounded at the topics' ends as of the start when {@code kafka.bounded}.
     */
    public static <T> KafkaSource<T> committedOutputsSource(ReadableConfig conf, String groupSuffix,
            List<String> topics, KafkaRecordDeserializationSchema<T> records) {
        KafkaSourceBuilder<T> b = KafkaSource.<T>builder();
        if (conf.get(HawkeyeOptions.KAFKA_BOUNDED)) b.setBounded(OffsetsInitializer.latest());
        String group = conf.get(HawkeyeOptions.KAFKA_GROUP_ID) + groupSuffix;
        return b.setBootstrapServers(bootstrap(conf))
                .setTopics(topics)
                .setGroupId(group)
                .setClientIdPrefix(group)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(records)
                .setProperties(clientProperties(conf))
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000")
                .build();
    }

    public static KafkaSource<TelemetryEvent> telemetrySource(ReadableConfig conf) {
        return telemetrySourceBuilder(conf).build();
    }

    /** The telemetry source's builder, for a caller that bounds it otherwise (e.g. at given offsets). */
    public static KafkaSourceBuilder<TelemetryEvent> telemetrySourceBuilder(ReadableConfig conf) {
        OffsetsInitializer start = switch (conf.get(HawkeyeOptions.KAFKA_STARTING_OFFSETS)) {
            case "earliest" -> OffsetsInitializer.earliest();
            case "latest" -> OffsetsInitializer.latest();
            case "committed" -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default -> throw new IllegalArgumentException(HawkeyeOptions.KAFKA_STARTING_OFFSETS.key()
                    + " must be committed, earliest or latest");
        };
        TelemetryParser.Config parser = new TelemetryParser.Config(conf.get(HawkeyeOptions.MAX_RECORD_BYTES),
                conf.get(HawkeyeOptions.MAX_FUTURE_SKEW).toMillis());
        var builder = KafkaSource.<TelemetryEvent>builder();
        if (conf.get(HawkeyeOptions.KAFKA_BOUNDED)) builder.setBounded(OffsetsInitializer.latest());
        return builder
                .setBootstrapServers(bootstrap(conf))
                .setTopics(Arrays.stream(conf.get(HawkeyeOptions.TOPIC_TELEMETRY).split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList())
                .setGroupId(conf.get(HawkeyeOptions.KAFKA_GROUP_ID))
                .setStartingOffsets(start)
                .setDeserializer(new TelemetryDeserializationSchema(parser))
                .setProperties(clientProperties(conf))
                // Producers of telemetry may be transactional too; never read their aborted records.
                .setProperty("isolation.level", "read_committed")
                .setProperty("partition.discovery.interval.ms", "60000");
    }

    /** Key or value of an output record. */
    @FunctionalInterface
    public interface Bytes<T> extends Serializable {
        byte[] of(T t);
    }

    /**
     * An exactly-once sink to {@code topic}. {@code name} makes the transactional ids unique per sink, together
     * with the consumer group id so that two Hawkeye jobs on one cluster do not fence each other.
     */
    public static <T> KafkaSink<T> exactlyOnceSink(ReadableConfig conf, String topic, String name, Bytes<T> key,
            Bytes<T> value) {
        // The record timestamp is left to the producer (wall clock), not the event time: results of a backfill
        // carry old event times, and time-based retention would delete them at once.
        KafkaRecordSerializationSchema<T> schema = (element, context, timestamp) ->
                new ProducerRecord<>(topic, null, null, key.of(element), value.of(element));
        return KafkaSink.<T>builder()
                .setBootstrapServers(bootstrap(conf))
                .setKafkaProducerConfig(clientProperties(conf))
                .setRecordSerializer(schema)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(conf.get(HawkeyeOptions.KAFKA_GROUP_ID) + "-" + name)
                .setProperty("transaction.timeout.ms",
                        String.valueOf(conf.get(HawkeyeOptions.KAFKA_TRANSACTION_TIMEOUT).toMillis()))
                .setProperty("compression.type", "lz4")
                .setProperty("linger.ms", "20")
                .build();
    }
}
