package io.hawkeye.jobs.testing;

import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.topology.Topology;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A simulator run held in memory, for tests that feed it to Kafka in parts (a pause, a pace): every event with its
 * key (the service) and event time, and the partition each goes to — fixed by the key, so the end offset of every
 * partition is known before anything is produced (a source bounded at those offsets ends exactly after the last
 * part).
 */
public final class SimulatedTelemetry {
    /** One simulator record. */
    public record Event(String key, String json, long ts) {}

    private final List<Event> events;
    private final int partitions;

    private SimulatedTelemetry(List<Event> events, int partitions) {
        this.events = events;
        this.partitions = partitions;
    }

    /** {@code duration} of {@code topology} from {@code start}, seeded, for a topic of {@code partitions}. */
    public static SimulatedTelemetry simulate(Topology topology, long seed, Instant start, Duration duration,
            int partitions) {
        List<Event> out = new ArrayList<>();
        TelemetrySink sink = (key, json, ts) -> out.add(new Event(key, json, ts));
        new Simulation(topology, seed, start).run(duration, sink);
        return new SimulatedTelemetry(out, partitions);
    }

    public List<Event> events() {
        return events;
    }

    public int partition(Event e) {
        return Math.floorMod(e.key().hashCode(), partitions);
    }

    /** The end offset of each partition of {@code topic} once every event is produced (into an empty topic). */
    public Map<TopicPartition, Long> endOffsets(String topic) {
        Map<TopicPartition, Long> end = new HashMap<>();
        for (int p = 0; p < partitions; p++) end.put(new TopicPartition(topic, p), 0L);
        for (Event e : events) end.merge(new TopicPartition(topic, partition(e)), 1L, Long::sum);
        return end;
    }

    /** Index of the first event at or after {@code ts} (the simulator emits in time order). */
    public int indexAt(long ts) {
        int lo = 0, hi = events.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (events.get(mid).ts() < ts) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** A producer for {@link #produce}; close it when done. */
    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p);
    }

    /** Produces events {@code [from, to)} to their partitions of {@code topic} and flushes. */
    public void produce(KafkaProducer<byte[], byte[]> producer, String topic, int from, int to) {
        for (int i = from; i < to; i++) {
            Event e = events.get(i);
            producer.send(new ProducerRecord<>(topic, partition(e), null, e.key().getBytes(StandardCharsets.UTF_8),
                    e.json().getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush();
    }
}
