package io.hawkeye.jobs.elasticsearch;

import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.util.BinaryData;
import co.elastic.clients.util.ContentType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds bulk requests from buffered entries. Document sources travel as {@link BinaryData}, which
 * the client writes into the NDJSON body byte for byte: no parsing, no POJO round trip.
 */
final class BulkRequests {

    private static final byte[] UPSERT_PREFIX = "{\"doc\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] UPSERT_SUFFIX =
            ",\"doc_as_upsert\":true}".getBytes(StandardCharsets.UTF_8);

    /**
     * Concurrent partial updates of one document (several in-flight requests) conflict on the
     * document version; Elasticsearch re-applies them itself this many times before reporting 409.
     */
    static final int RETRY_ON_CONFLICT = 3;

    private BulkRequests() {}

    /** One operation per entry, in order: response item {@code i} belongs to entry {@code i}. */
    static BulkRequest build(List<BulkOperationEntry> entries) {
        List<BulkOperation> operations = new ArrayList<>(entries.size());
        for (BulkOperationEntry entry : entries) {
            operations.add(toOperation(entry));
        }
        return BulkRequest.of(b -> b.operations(operations));
    }

    static BulkOperation toOperation(BulkOperationEntry entry) {
        ElasticsearchDocument doc = entry.getDocument();
        switch (entry.getAction()) {
            case INDEX:
                BinaryData source = BinaryData.of(doc.getSource(), ContentType.APPLICATION_JSON);
                return BulkOperation.of(
                        o -> o.index(i -> i.index(doc.getIndex()).id(doc.getId()).document(source)));
            case UPDATE_UPSERT:
                BinaryData action =
                        BinaryData.of(upsertAction(doc.getSource()), ContentType.APPLICATION_JSON);
                return BulkOperation.of(
                        o ->
                                o.update(
                                        u ->
                                                u.index(doc.getIndex())
                                                        .id(doc.getId())
                                                        .retryOnConflict(RETRY_ON_CONFLICT)
                                                        .binaryAction(action)));
            case DELETE:
                return BulkOperation.of(o -> o.delete(d -> d.index(doc.getIndex()).id(doc.getId())));
            default:
                throw new IllegalStateException("Unknown action " + entry.getAction());
        }
    }

    /** {@code {"doc":<source>,"doc_as_upsert":true}} assembled from bytes. */
    static byte[] upsertAction(byte[] source) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(source.length + UPSERT_PREFIX.length + UPSERT_SUFFIX.length);
        out.writeBytes(UPSERT_PREFIX);
        out.writeBytes(source);
        out.writeBytes(UPSERT_SUFFIX);
        return out.toByteArray();
    }
}
