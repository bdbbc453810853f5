package io.hawkeye.jobs.elasticsearch;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * A document Elasticsearch refused for good (an item-level 4xx such as a mapping conflict), with
 * Elasticsearch's explanation and the original source bytes, as handed to a {@link
 * FailedDocumentHandler}.
 *
 * @param index       the document's index
 * @param id          {@code null} when Elasticsearch was to assign the id
 * @param status      HTTP status of the bulk item, e.g. 400
 * @param errorType   Elasticsearch's error type, e.g. {@code document_parsing_exception}
 * @param errorReason Elasticsearch's error reason, including the reason of the root cause when there is one
 * @param source      the document's source bytes
 */
public record FailedDocument(String index, String id, int status, String errorType, String errorReason,
        byte[] source) implements Serializable {

    private static final long serialVersionUID = 1L;

    /** {@code type: reason}, the one-line form used in logs and dead letters. */
    public String describeError() {
        return errorType + ": " + errorReason;
    }

    public String sourceAsString() {
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
