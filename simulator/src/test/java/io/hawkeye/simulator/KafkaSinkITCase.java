package io.hawkeye.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.Test;

/** The simulator's Kafka sink against a real (in-process KRaft) broker. */
class KafkaSinkITCase {

    @Test
    void recordsArriveKeyedByServiceWithEventTimestamps() throws Exception {
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();

            List<String> sent = new ArrayList<>();
            List<Long> sentTs = new ArrayList<>();
            try (KafkaSink kafka = new KafkaSink(cluster.bootstrapServers(), "telemetry-it", Map.of())) {
                new Simulation(SimulationTest.twoTier(), 3, Instant.parse("2024-03-04T00:00:00Z"))
                        .run(Duration.ofSeconds(5), (key, json, ts) -> {
                            sent.add(key + "|" + json);
                            sentTs.add(ts);
                            kafka.emit(key, json, ts);
                        });
            }

            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, "it");
            p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            List<String> received = new ArrayList<>();
            List<Long> receivedTs = new ArrayList<>();
            try (KafkaConsumer<byte[], byte[]> consumer =
                         new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of("telemetry-it"));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (received.size() < sent.size() && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        received.add(new String(r.key(), StandardCharsets.UTF_8) + "|"
                                + new String(r.value(), StandardCharsets.UTF_8));
                        receivedTs.add(r.timestamp());
                    }
                }
            }
            assertThat(sent).isNotEmpty();
            // one partition (auto-created topic): order is preserved too
            assertThat(received).isEqualTo(sent);
            assertThat(receivedTs).isEqualTo(sentTs);
        }
    }
}
