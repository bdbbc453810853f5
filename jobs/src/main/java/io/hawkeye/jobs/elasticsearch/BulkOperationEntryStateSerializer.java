package io.hawkeye.jobs.elasticsearch;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriterStateSerializer;

/**
 * Checkpoint format of entries still buffered in a writer. Usually empty, because the writer
 * flushes on checkpoint, but it must be stable: version 1 is {@code action ordinal, index, has-id,
 * id, source length, source bytes}.
 */
public final class BulkOperationEntryStateSerializer
        extends AsyncSinkWriterStateSerializer<BulkOperationEntry> {

    @Override
    protected void serializeRequestToStream(BulkOperationEntry entry, DataOutputStream out)
            throws IOException {
        ElasticsearchDocument doc = entry.getDocument();
        out.writeByte(entry.getAction().ordinal());
        out.writeUTF(doc.getIndex());
        out.writeBoolean(doc.getId() != null);
        if (doc.getId() != null) {
            out.writeUTF(doc.getId());
        }
        out.writeInt(doc.getSource().length);
        out.write(doc.getSource());
    }

    @Override
    protected BulkOperationEntry deserializeRequestFromStream(long requestSize, DataInputStream in)
            throws IOException {
        WriteAction action = WriteAction.values()[in.readByte()];
        String index = in.readUTF();
        String id = in.readBoolean() ? in.readUTF() : null;
        byte[] source = new byte[in.readInt()];
        in.readFully(source);
        return new BulkOperationEntry(action, ElasticsearchDocument.of(index, id, source));
    }

    @Override
    public int getVersion() {
        return 1;
    }
}
