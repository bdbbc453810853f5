package io.hawkeye.jobs.ingest;

import io.hawkeye.telemetry.TelemetryParser;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Turns each Kafka record into zero or more {@link TelemetryEvent}s with {@link TelemetryParser}. Never throws:
 * bad input becomes a dead-letter event carrying the record's topic, partition and offset.
 */
public class TelemetryDeserializationSchema implements KafkaRecordDeserializationSchema<TelemetryEvent> {
    private static final long serialVersionUID = 1L;

    private final TelemetryParser.Config config;
    private transient TelemetryParser parser;
    private transient TelemetryParser.Handler forwarder;
    private transient Collector<TelemetryEvent> out;

    public TelemetryDeserializationSchema(TelemetryParser.Config config) {
        this.config = config;
    }

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
        parser = new TelemetryParser(config);
        forwarder = TelemetryEvent.handler(e -> out.collect(e));
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<TelemetryEvent> out) {
        if (parser == null) open(null);
        this.out = out;
        parser.parse(record.value(), record.topic(), record.partition(), record.offset(), System.currentTimeMillis(),
                forwarder);
    }

    @Override
    public TypeInformation<TelemetryEvent> getProducedType() {
        return TypeInformation.of(TelemetryEvent.class);
    }
}
