package io.hawkeye.jobs.elasticsearch;

import java.io.Serializable;
import java.util.Objects;

/**
 * The sink's request entry: one bulk action for one document, as buffered, checkpointed and retried
 * by Flink's {@code AsyncSinkWriter}.
 */
public final class BulkOperationEntry implements Serializable {

    private static final long serialVersionUID = 1L;

    private final WriteAction action;
    private final ElasticsearchDocument document;

    /**
     * How often Elasticsearch answered this entry's item with a retriable status (429/5xx). Lives in
     * the entry because the writer re-buffers the same object on retry; it is transient on purpose:
     * after a restore the count starts again (the restart is itself a kind of back-off).
     */
    private transient int itemRetries;

    public BulkOperationEntry(WriteAction action, ElasticsearchDocument document) {
        this.action = Objects.requireNonNull(action, "action");
        this.document = Objects.requireNonNull(document, "document");
    }

    public WriteAction getAction() {
        return action;
    }

    public ElasticsearchDocument getDocument() {
        return document;
    }

    int getItemRetries() {
        return itemRetries;
    }

    int incrementItemRetries() {
        return ++itemRetries;
    }

    /**
     * Approximate bytes on the wire: the source plus the action line (~ index + id + 40 bytes of
     * JSON syntax). Used by the writer's batch-size and record-size limits.
     */
    long estimatedSizeInBytes() {
        String id = document.getId();
        return document.getSource().length
                + document.getIndex().length()
                + (id == null ? 0 : id.length())
                + (action == WriteAction.UPDATE_UPSERT ? 70 : 40);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BulkOperationEntry that
                && action == that.action && document.equals(that.document);
    }

    @Override
    public int hashCode() {
        return Objects.hash(action, document);
    }

    @Override
    public String toString() {
        return "BulkOperationEntry{" + action + ", " + document + '}';
    }
}
