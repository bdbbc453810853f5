package io.hawkeye.jobs.elasticsearch;

import java.io.Serializable;

/**
 * Receives documents Elasticsearch rejected permanently (item-level 4xx), so that they are kept
 * (dead-lettered) instead of failing the job or being dropped silently.
 *
 * <p>Lifecycle per sink writer (subtask): {@link #open} once, then {@link #handle} for rejected
 * documents followed by {@link #flush} at the end of each bulk response that had rejections, and
 * {@link #close}. All calls for one writer come from one thread (the writer's callback thread),
 * so implementations need no synchronisation. The bulk request counts as done only after {@link
 * #flush} returns, so a checkpoint never completes before its rejected documents are stored:
 * dead letters are at-least-once too. Throwing from {@code handle} or {@code flush} fails the job
 * rather than losing the documents.
 */
public interface FailedDocumentHandler extends Serializable {

    /** Called once on the task before the first document. */
    default void open(int subtaskIndex) throws Exception {}

    void handle(FailedDocument document) throws Exception;

    /** Make everything handled so far durable. */
    default void flush() throws Exception {}

    default void close() throws Exception {}
}
