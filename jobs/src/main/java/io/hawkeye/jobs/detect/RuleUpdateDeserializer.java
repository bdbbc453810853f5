package io.hawkeye.jobs.detect;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Records of the compacted rules topic → {@link RuleUpdate}: key = rule name, value = YAML/JSON, null value =
 * tombstone. Never throws: a record without a key becomes an update with a null name, which the evaluator
 * rejects and counts.
 */
public class RuleUpdateDeserializer implements KafkaRecordDeserializationSchema<RuleUpdate> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RuleUpdate> out) {
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
        out.collect(new RuleUpdate(key, value));
    }

    @Override
    public TypeInformation<RuleUpdate> getProducedType() {
        return TypeInformation.of(RuleUpdate.class);
    }
}
