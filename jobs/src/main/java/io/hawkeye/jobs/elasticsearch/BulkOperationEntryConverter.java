package io.hawkeye.jobs.elasticsearch;

import java.util.Objects;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.base.sink.writer.ElementConverter;

/** Adapts a {@link DocumentFunction} to the {@link ElementConverter} the async sink expects. */
final class BulkOperationEntryConverter<InputT>
        implements ElementConverter<InputT, BulkOperationEntry> {

    private static final long serialVersionUID = 1L;

    private final DocumentFunction<InputT> documentFunction;
    private final WriteAction action;

    BulkOperationEntryConverter(DocumentFunction<InputT> documentFunction, WriteAction action) {
        this.documentFunction = Objects.requireNonNull(documentFunction, "documentFunction");
        this.action = Objects.requireNonNull(action, "action");
    }

    @Override
    public BulkOperationEntry apply(InputT element, SinkWriter.Context context) {
        ElasticsearchDocument doc = documentFunction.toDocument(element);
        WriteAction elementAction = documentFunction.action(element, action);
        if (elementAction != WriteAction.INDEX && doc.getId() == null) {
            throw new IllegalArgumentException(
                    elementAction
                            + " needs a document id; the document function returned none for index "
                            + doc.getIndex());
        }
        return new BulkOperationEntry(elementAction, doc);
    }
}
