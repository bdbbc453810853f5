package io.hawkeye.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawkeye.jobs.elasticsearch.ElasticsearchDocument;
import io.hawkeye.jobs.elasticsearch.WriteAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.data.TimestampData;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;

/** Row → document mapping of the {@code hawkeye-elasticsearch} connector: id, index, source, action per row kind. */
class RowDocumentsTest {
    private static final long START = Instant.parse("2026-01-01T12:00:00Z").toEpochMilli();

    private final RowDocuments documents = new RowDocuments(List.of("service", "window_start", "n"),
            List.of(DataTypes.STRING(), DataTypes.TIMESTAMP(3), DataTypes.BIGINT()), new int[] {0, 1},
            "stats-{window_start|yyyy.MM.dd}");

    private static GenericRowData row(RowKind kind, String service, long n) {
        GenericRowData row = GenericRowData.of(StringData.fromString(service), TimestampData.fromEpochMillis(START), n);
        row.setRowKind(kind);
        return row;
    }

    @Test
    void insertsAndUpdatesIndexTheKeysDocument() {
        for (RowKind kind : List.of(RowKind.INSERT, RowKind.UPDATE_AFTER)) {
            GenericRowData row = row(kind, "cart", 7);
            ElasticsearchDocument doc = documents.toDocument(row);
            assertThat(documents.action(row, WriteAction.INDEX)).isEqualTo(WriteAction.INDEX);
            assertThat(doc.getIndex()).isEqualTo("stats-2026.01.01");
            assertThat(doc.getId()).isEqualTo("cart|" + START);
            assertThat(new String(doc.getSource(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"service\":\"cart\",\"window_start\":\"2026-01-01T12:00:00Z\",\"n\":7}");
        }
    }

    @Test
    void deletesAndUpdateBeforesDeleteTheKeysDocumentWithoutSource() {
        for (RowKind kind : List.of(RowKind.DELETE, RowKind.UPDATE_BEFORE)) {
            GenericRowData row = row(kind, "cart", 7);
            ElasticsearchDocument doc = documents.toDocument(row);
            assertThat(documents.action(row, WriteAction.INDEX)).as("%s", kind).isEqualTo(WriteAction.DELETE);
            assertThat(doc.getIndex()).isEqualTo("stats-2026.01.01");
            assertThat(doc.getId()).isEqualTo("cart|" + START);
            assertThat(doc.getSource()).isEmpty();
        }
    }

    @Test
    void indexPatternMustNameATimeColumn() {
        assertThatThrownBy(() -> new RowDocuments(List.of("service"), List.of(DataTypes.STRING()), new int[0],
                "stats-{service|yyyy}")).hasMessageContaining("must be TIMESTAMP, TIMESTAMP_LTZ or BIGINT");
        assertThatThrownBy(() -> new RowDocuments(List.of("service"), List.of(DataTypes.STRING()), new int[0],
                "stats-{nope|yyyy}")).hasMessageContaining("unknown column 'nope'");
    }
}
