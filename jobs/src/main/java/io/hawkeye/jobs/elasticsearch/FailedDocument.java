package io.hawkeye.jobs.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * A document Elasticsearch refused for good (an item-level 4xx such as a mapping conflict), with
 * Elasticsearch's explanation and the original source bytes, as handed to a {@link
 * FailedDocumentHandler}.
 */
public final class FailedDocument implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String index;
    private final String id;
    private final int status;
    private final String errorType;
    private final String errorReason;
    private final byte[] source;

    public FailedDocument(
            String index, String id, int status, String errorType, String errorReason, byte[] source) {
        this.index = index;
        this.id = id;
        this.status = status;
        this.errorType = errorType;
        this.errorReason = errorReason;
        this.source = source;
    }

    public String getIndex() {
        return index;
    }

    /** {@code null} when Elasticsearch was to assign the id. */
    public String getId() {
        return id;
    }

    /** HTTP status of the bulk item, e.g. 400. */
    public int getStatus() {
        return status;
    }

    /** Elasticsearch's error type, e.g. {@code document_parsing_exception}. */
    public String getErrorType() {
        return errorType;
    }

    /** Elasticsearch's error reason, including the reason of the root cause when there is one. */
    public String getErrorReason() {
        return errorReason;
    }

    /** {@code type: reason}, the one-line form used in logs and dead letters. */
    public String describeError() {
        return errorType + ": " + errorReason;
    }

    public byte[] getSource() {
        return source;
    }

    public String getSourceAsString() {
        return new String(source, StandardCharsets.UTF_8);
    }

    /** Deliberately without the source: documents may carry data that does not belong in logs. */
    @Override
    public String toString() {
        return "FailedDocument{index="
                + index
                + ", id="
                + id
                + ", status="
                + status
                + ", error="
                + describeError()
                + ", sourceBytes="
                + source.length
                + '}';
    }
}
