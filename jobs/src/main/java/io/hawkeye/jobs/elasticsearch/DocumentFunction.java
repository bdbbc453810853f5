package io.hawkeye.jobs.elasticsearch;

import java.io.Serializable;

/**
 * Maps a stream element to the document the sink writes. Implementations decide the index (e.g. a
 * daily index via {@link DailyIndexNames}), a deterministic id, and the JSON encoding.
 *
 * <p>Called on the sink's task thread for every element; it must not block. Throwing fails the
 * job, so validate and dead-letter bad input upstream (conventions: never throw on data).
 */
@FunctionalInterface
public interface DocumentFunction<InputT> extends Serializable {

    ElasticsearchDocument toDocument(InputT element);

    /**
     * The bulk action for this element; by default the sink's configured one. Override to delete
     * some elements ({@link WriteAction#DELETE}, which needs a document id).
     */
    default WriteAction action(InputT element, WriteAction configured) {
        return configured;
    }
}
