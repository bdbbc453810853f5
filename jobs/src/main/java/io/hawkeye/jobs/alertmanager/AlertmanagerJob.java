package io.hawkeye.jobs.alertmanager;

import io.hawkeye.alerts.Alert;
import io.hawkeye.jobs.HawkeyeJob;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.Uid;
import io.hawkeye.jobs.kafka.KafkaIO;
import java.util.List;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Alertmanager bridge: the annotated alerts (incident id and root cause set, {@code read_committed}) → an
 * Alertmanager's API v2. A job of its own, like the indexer, so that a paging outage never holds back the
 * analytics job. Options: {@code alertmanager.url} (required), {@code alertmanager.resend-interval},
 * {@code alertmanager.generator-url}, {@code alertmanager.runbook-url}, and the Kafka options of the analytics
 * job ({@code kafka.bootstrap-servers}, {@code kafka.group-id}, {@code topic.annotated-alerts}, security).
 * docs/alertmanager.md has the label model and the inhibit rule.
 */
public final class AlertmanagerJob {
    public static final String GROUP_SUFFIX = "-alertmanager";

    private AlertmanagerJob() {}

    public static void main(String[] args) throws Exception {
        HawkeyeJob.run(args, "Hawkeye Alertmanager bridge",
                (env, conf) -> env.configure(HawkeyeJob.commonDefaults(env.getConfiguration(), conf)),
                AlertmanagerJob::define);
    }

    /** Kafka (annotated alerts) → re-sending per alert → Alertmanager. */
    public static void define(StreamExecutionEnvironment env, ReadableConfig conf) {
        String url = conf.getOptional(HawkeyeOptions.ALERTMANAGER_URL).orElseThrow(() ->
                new IllegalArgumentException("option " + HawkeyeOptions.ALERTMANAGER_URL.key()
                        + " is required by the Alertmanager bridge"));
        AlertmanagerAlerts alerts = new AlertmanagerAlerts(
                conf.getOptional(HawkeyeOptions.ALERTMANAGER_GENERATOR_URL).orElse(null),
                conf.getOptional(HawkeyeOptions.ALERTMANAGER_RUNBOOK_URL).orElse(null));
        env.fromSource(source(conf), WatermarkStrategy.noWatermarks(), "Kafka: annotated alerts")
                .uid(Uid.ALERTMANAGER_SOURCE.id())
                .keyBy(a -> a.alertId)
                .process(new AlertResender(alerts, conf.get(HawkeyeOptions.ALERTMANAGER_RESEND)))
                .uid(Uid.ALERTMANAGER_RESENDER.id()).name("Alertmanager alerts, re-sent while firing")
                .sinkTo(new AlertmanagerSink(url))
                .uid(Uid.ALERTMANAGER_SINK.id()).name("Alertmanager API v2");
    }

    static KafkaSource<Alert> source(ReadableConfig conf) {
        return KafkaIO.committedOutputsSource(conf, GROUP_SUFFIX,
                List.of(conf.get(HawkeyeOptions.TOPIC_ANNOTATED_ALERTS)), new AlertRecords());
    }

    /** Annotated-alert records; a record that is not an alert is skipped, logged with its position and counted. */
    static final class AlertRecords implements KafkaRecordDeserializationSchema<Alert> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(AlertRecords.class);
        private transient Counter undecodable;

        @Override
        public void open(org.apache.flink.api.common.serialization.DeserializationSchema.InitializationContext c) {
            undecodable = c.getMetricGroup().counter("alertmanagerUndecodable");
        }

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Alert> out) {
            try {
                Alert a = Alert.fromJson(record.value());
                if (a.alertId != null && a.status != null) {
                    out.collect(a);
                    return;
                }
            } catch (RuntimeException e) {
                // counted below
            }
            LOG.warn("Skipping a record that is not an alert at {}-{}@{}", record.topic(), record.partition(),
                    record.offset());
            if (undecodable != null) undecodable.inc();
        }

        @Override
        public TypeInformation<Alert> getProducedType() {
            return Types.POJO(Alert.class);
        }
    }
}
