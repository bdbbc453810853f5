package io.hawkeye.jobs.index;

import java.util.Arrays;
import java.util.Objects;

/**
 * One document of the indexer job: target index, deterministic id and the JSON source — the Kafka record's value,
 * byte for byte. A Flink POJO (it travels from the Kafka source to the Elasticsearch sink).
 */
public class IndexDocument {
    public String index;
    public String id;
    public byte[] source;

    public IndexDocument() {}

    public static IndexDocument of(String index, String id, byte[] source) {
        IndexDocument d = new IndexDocument();
        d.index = index;
        d.id = id;
        d.source = source;
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IndexDocument d && Objects.equals(index, d.index) && Objects.equals(id, d.id)
                && Arrays.equals(source, d.source);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(index, id) + Arrays.hashCode(source);
    }

    @Override
    public String toString() {
        return "IndexDocument{" + index + "/" + id + ", " + (source == null ? 0 : source.length) + " bytes}";
    }
}
