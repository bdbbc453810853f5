package io.hawkeye.jobs.elasticsearch;

/** The bulk action used for every document of a sink. */
public enum WriteAction {
    /**
     * {@code index}: create the document or replace it completely. The default: with deterministic
     * ids a replay rewrites identical documents, so the result is idempotent.
     */
    INDEX,
    /**
     * {@code update} with {@code doc_as_upsert: true}: merge the source into an existing document
     * (or create it). For documents several writers fill in field by field (e.g. an incident whose
     * status changes); fields absent from the source are kept.
     */
    UPDATE_UPSERT,
    /**
     * {@code delete} of the document with the given id (the source is not sent). Never a sink-wide
     * action: a {@link DocumentFunction} chooses it per element through
     * {@link DocumentFunction#action}, e.g. the table connector for DELETE rows. Deleting a document
     * that does not exist (404) counts as success, so replays stay idempotent.
     */
    DELETE
}
