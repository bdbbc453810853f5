package io.hawkeye.jobs;

import io.hawkeye.jobs.kafka.KafkaIO;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Where the rows of {@link Outputs} are written, injected into {@link HawkeyeJob#define}. {@link #of} is the
 * production one: exactly-once Kafka. Implementations attach a sink with the row's uid and name.
 *
 * <p>There is no Elasticsearch sink here: the analytics job's checkpoints (and with them every Kafka commit) must
 * not wait for Elasticsearch. The indexer job ({@code io.hawkeye.jobs.index.IndexerJob}) reads the output topics
 * with read_committed and writes the documents (docs/elasticsearch.md, "Indexer job").
 */
public interface Sinks {

    <T> void kafka(DataStream<T> stream, Output<T> output);

    /** Exactly-once Kafka sinks. */
    static Sinks of(ReadableConfig conf) {
        return new Sinks() {
            @Override
            public <T> void kafka(DataStream<T> stream, Output<T> o) {
                stream.sinkTo(KafkaIO.exactlyOnceSink(conf, conf.get(o.topic()), o.name(), o.key(), o.value()))
                        .uid(o.kafkaUid()).name("Kafka: " + o.label());
            }
        };
    }
}
