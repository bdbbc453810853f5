package io.hawkeye.jobs;

import io.hawkeye.jobs.detect.RuleUpdate;
import io.hawkeye.jobs.detect.RuleUpdateDeserializer;
import io.hawkeye.jobs.ingest.TelemetryEvent;
import io.hawkeye.jobs.kafka.KafkaIO;
import io.hawkeye.jobs.percentiles.WindowStatsWorkflow;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The job's inputs, injected into {@link HawkeyeJob#define}: the cluster main, the demo and the benchmarks use
 * {@link #kafka()}; a test may bring its own bounded streams. Each source carries its watermarks and a stable uid.
 */
public interface Sources {
    /** Spans and metric samples (and dead letters of the parser), with event-time watermarks. */
    DataStream<TelemetryEvent> telemetry(StreamExecutionEnvironment env, ReadableConfig conf);

    /** Runtime threshold-rule updates; {@code null} when there are none (startup rules only). */
    DataStream<RuleUpdate> rules(StreamExecutionEnvironment env, ReadableConfig conf);

    /** Telemetry from {@code topic.telemetry}, rule updates from the compacted {@code topic.rules}. */
    static Sources kafka() {
        return new Sources() {
            @Override
            public DataStream<TelemetryEvent> telemetry(StreamExecutionEnvironment env, ReadableConfig conf) {
                return env.fromSource(KafkaIO.telemetrySource(conf), watermarks(conf), "Kafka telemetry")
                        .uid(Uid.TELEMETRY_SOURCE.id());
            }

            @Override
            public DataStream<RuleUpdate> rules(StreamExecutionEnvironment env, ReadableConfig conf) {
                String topic = conf.get(HawkeyeOptions.TOPIC_RULES);
                if (topic.isBlank()) return null;
                KafkaSourceBuilder<RuleUpdate> rules = KafkaSource.<RuleUpdate>builder();
                // A bounded job must not wait forever on the rules topic: it reads the rules present at startup.
                if (conf.get(HawkeyeOptions.KAFKA_BOUNDED)) rules.setBounded(OffsetsInitializer.latest());
                return env.fromSource(rules
                                        .setBootstrapServers(KafkaIO.bootstrap(conf))
                                        .setTopics(topic)
                                        .setGroupId(conf.get(HawkeyeOptions.KAFKA_GROUP_ID) + "-rules")
                                        // Compacted: read from the beginning to get the full rule set on every start.
                                        .setStartingOffsets(OffsetsInitializer.earliest())
                                        .setDeserializer(new RuleUpdateDeserializer())
                                        .setProperties(KafkaIO.clientProperties(conf))
                                        .setProperty("isolation.level", "read_committed")
                                        .build(),
                                withoutEventTime(), "Kafka rules")
                        .uid(Uid.RULES_SOURCE.id()).setParallelism(1);
            }
        };
    }

    /** The telemetry's event-time strategy: out-of-orderness, idleness and resume grace from the job's options. */
    static WatermarkStrategy<TelemetryEvent> watermarks(ReadableConfig conf) {
        return WindowStatsWorkflow.watermarks(conf.get(HawkeyeOptions.OUT_OF_ORDERNESS),
                conf.get(HawkeyeOptions.IDLENESS), conf.get(HawkeyeOptions.RESUME_GRACE));
    }

    /**
     * For a side input without event time (rule updates): the highest watermark, so that the source never looks
     * behind. It does not reach the operator the side input is connected to: {@code WithoutEventTime} drops it and
     * announces the input idle there, because an operator whose main input is idle (every telemetry partition
     * quiet for {@code watermark.idleness}) would otherwise take this watermark as its own and jump to the end of
     * time for good (issue 15: incidents stopped being published).
     */
    static <T> WatermarkStrategy<T> withoutEventTime() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        });
    }
}
