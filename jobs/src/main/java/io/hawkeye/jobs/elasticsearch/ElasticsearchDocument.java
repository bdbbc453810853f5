package io.hawkeye.jobs.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One document to write: target index, document id and the JSON source as raw UTF-8 bytes.
 *
 * <p>The source is kept as bytes and sent to Elasticsearch unchanged, so producers serialise once
 * (with whatever JSON library they use) and the sink never re-encodes through POJOs.
 *
 * <p>The id should be deterministic (derived from the element, e.g. series id + window start):
 * replays after a failure then overwrite the same documents instead of adding duplicates, which
 * turns the sink's at-least-once delivery into effectively-once results. A {@code null} id lets
 * Elasticsearch generate one, and replays then create duplicates.
 */
public final class ElasticsearchDocument implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String index;
    private final String id;
    private final byte[] source;

    private ElasticsearchDocument(String index, String id, byte[] source) {
        if (index == null || index.isEmpty()) {
            throw new IllegalArgumentException("Elasticsearch document needs an index");
        }
        this.index = index;
        this.id = id;
        this.source = Objects.requireNonNull(source, "source");
    }

    /** A document whose source is already-encoded JSON (UTF-8). The array is not copied. */
    public static ElasticsearchDocument of(String index, String id, byte[] jsonSource) {
        return new ElasticsearchDocument(index, id, jsonSource);
    }

    public static ElasticsearchDocument of(String index, String id, String jsonSource) {
        return new ElasticsearchDocument(index, id, jsonSource.getBytes(StandardCharsets.UTF_8));
    }

    public String getIndex() {
        return index;
    }

    /** May be {@code null}: Elasticsearch then assigns an id (not idempotent under replay). */
    public String getId() {
        return id;
    }

    public byte[] getSource() {
        return source;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ElasticsearchDocument that
                && index.equals(that.index) && Objects.equals(id, that.id) && Arrays.equals(source, that.source);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(index, id) + Arrays.hashCode(source);
    }

    @Override
    public String toString() {
        return "ElasticsearchDocument{index=" + index + ", id=" + id + ", sourceBytes=" + source.length + '}';
    }
}
