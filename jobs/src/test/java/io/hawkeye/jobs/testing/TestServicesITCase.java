package io.hawkeye.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class TestServicesITCase {

    @Test
    void kafkaIsReachableAndCreateTopicIsIdempotent() throws Exception {
        long t0 = System.nanoTime();
        String bootstrap = TestServices.kafkaBootstrap();
        System.out.printf("TestServices Kafka start took %d ms (%s)%n", (System.nanoTime() - t0) / 1_000_000, bootstrap);
        assertThat(TestServices.kafkaBootstrap()).isEqualTo(bootstrap); // one broker per JVM

        TestServices.createTopic("ts.events", 3);
        TestServices.createTopic("ts.events", 3);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertThat(admin.describeTopics(List.of("ts.events")).allTopicNames().get().get("ts.events").partitions()).hasSize(3);
        }

        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("ts.events", "k", "v")).get();
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "ts");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        int seen = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("ts.events"));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen == 0 && System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
                seen += records.count();
            }
        }
        assertThat(seen).isEqualTo(1);
    }

    @Test
    void elasticsearchIsReachable() throws Exception {
        long t0 = System.nanoTime();
        String url = TestServices.elasticsearchUrl();
        System.out.printf("TestServices Elasticsearch start took %d ms (%s)%n", (System.nanoTime() - t0) / 1_000_000, url);
        assertThat(url).startsWith("http://127.0.0.1:");
        assertThat(TestServices.elasticsearchUrl()).isEqualTo(url);

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(url + "/_cluster/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).containsAnyOf("\"status\":\"green\"", "\"status\":\"yellow\"");

        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(url + "/ts-docs/_doc/1?refresh=true"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"service\":\"cart\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isIn(200, 201);
    }
}
