package io.hawkeye.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import co.elastic.clients.util.BinaryData;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

/** Request building, index/id handling, checkpoint format and dead-letter records. */
class ElasticsearchBulkRequestsTest {

    private static final String SOURCE = "{\"series_id\":\"checkout|/pay\",\"count\":42,\"p99_ms\":12.5}";

    @Test
    void indexOperationCarriesIndexIdAndRawSource() throws Exception {
        BulkOperationEntry entry =
                new BulkOperationEntry(
                        WriteAction.INDEX, ElasticsearchDocument.of("idx-1", "doc-1", SOURCE));

        BulkRequest request = BulkRequests.build(List.of(entry, entry));

        assertThat(request.operations()).hasSize(2);
        BulkOperation op = request.operations().get(0);
        assertThat(op.isIndex()).isTrue();
        assertThat(op.index().index()).isEqualTo("idx-1");
        assertThat(op.index().id()).isEqualTo("doc-1");
        assertThat(bytes((BinaryData) op.index().document())).isEqualTo(SOURCE);
    }

    @Test
    void nullIdLetsElasticsearchAssignOne() {
        BulkOperation op =
                BulkRequests.toOperation(
                        new BulkOperationEntry(
                                WriteAction.INDEX, ElasticsearchDocument.of("idx", null, SOURCE)));
        assertThat(op.index().id()).isNull();
    }

    @Test
    void updateUpsertWrapsSourceAsDoc() throws Exception {
        BulkOperation op =
                BulkRequests.toOperation(
                        new BulkOperationEntry(
                                WriteAction.UPDATE_UPSERT, ElasticsearchDocument.of("idx", "id-7", SOURCE)));
        assertThat(op.isUpdate()).isTrue();
        assertThat(op.update().id()).isEqualTo("id-7");
        assertThat(op.update().retryOnConflict()).isEqualTo(BulkRequests.RETRY_ON_CONFLICT);
        JsonNode action = new ObjectMapper().readTree(bytes(op.update().binaryAction()));
        assertThat(action.get("doc_as_upsert").asBoolean()).isTrue();
        assertThat(action.get("doc").get("count").asLong()).isEqualTo(42);
    }

    @Test
    void updateUpsertNeedsAnId() {
        BulkOperationEntryConverter<String> converter =
                new BulkOperationEntryConverter<>(
                        s -> ElasticsearchDocument.of("idx", null, s), WriteAction.UPDATE_UPSERT);
        assertThatThrownBy(() -> converter.apply(SOURCE, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sizeEstimateCoversSourceAndActionLine() {
        BulkOperationEntry entry =
                new BulkOperationEntry(WriteAction.INDEX, ElasticsearchDocument.of("idx", "id", SOURCE));
        assertThat(entry.estimatedSizeInBytes())
                .isGreaterThan(SOURCE.length() + 5)
                .isLessThan(SOURCE.length() + 100);
    }

    @Test
    void stateSerializerRoundTrip() throws Exception {
        List<RequestEntryWrapper<BulkOperationEntry>> entries = new ArrayList<>();
        BulkOperationEntry a =
                new BulkOperationEntry(WriteAction.INDEX, ElasticsearchDocument.of("idx", "a", SOURCE));
        BulkOperationEntry b =
                new BulkOperationEntry(
                        WriteAction.UPDATE_UPSERT, ElasticsearchDocument.of("idx2", "b", "{\"x\":1}"));
        BulkOperationEntry c =
                new BulkOperationEntry(WriteAction.INDEX, ElasticsearchDocument.of("idx3", null, "{}"));
        for (BulkOperationEntry e : List.of(a, b, c)) {
            entries.add(new RequestEntryWrapper<>(e, e.estimatedSizeInBytes()));
        }
        BulkOperationEntryStateSerializer serializer = new BulkOperationEntryStateSerializer();

        BufferedRequestState<BulkOperationEntry> restored =
                serializer.deserialize(
                        serializer.getVersion(),
                        serializer.serialize(new BufferedRequestState<>(entries)));

        assertThat(restored.getBufferedRequestEntries())
                .extracting(RequestEntryWrapper::getRequestEntry)
                .containsExactly(a, b, c);
        assertThat(
                        serializer
                                .deserialize(
                                        1,
                                        serializer.serialize(
                                                new BufferedRequestState<>(
                                                        Collections
                                                                .<RequestEntryWrapper<BulkOperationEntry>>
                                                                        emptyList())))
                                .getBufferedRequestEntries())
                .isEmpty();
    }

    @Test
    void failedDocumentCarriesErrorTextAndSource() {
        BulkOperationEntry entry =
                new BulkOperationEntry(WriteAction.INDEX, ElasticsearchDocument.of("idx", "id-9", SOURCE));
        BulkResponseItem item =
                BulkResponseItem.of(
                        i ->
                                i.operationType(OperationType.Index)
                                        .index("idx")
                                        .id("id-9")
                                        .status(400)
                                        .error(
                                                ErrorCause.of(
                                                        e ->
                                                                e.type("document_parsing_exception")
                                                                        .reason("failed to parse field [count]")
                                                                        .causedBy(
                                                                                c ->
                                                                                        c.type(
                                                                                                        "illegal_argument_exception")
                                                                                                .reason(
                                                                                                        "For input string: \"lots\"")))));

        FailedDocument failed = ElasticsearchSinkWriter.toFailedDocument(entry, item);

        assertThat(failed.status()).isEqualTo(400);
        assertThat(failed.index()).isEqualTo("idx");
        assertThat(failed.id()).isEqualTo("id-9");
        assertThat(failed.errorType()).isEqualTo("document_parsing_exception");
        assertThat(failed.errorReason())
                .contains("failed to parse field [count]")
                .contains("For input string");
        assertThat(failed.sourceAsString()).isEqualTo(SOURCE);
        assertThat(failed.toString()).doesNotContain("checkout");
    }

    @Test
    void deadLetterRecordLayout() throws Exception {
        FailedDocument failed =
                new FailedDocument(
                        "idx", "id-9", 400, "document_parsing_exception", "bad count",
                        SOURCE.getBytes(StandardCharsets.UTF_8));
        Clock clock = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);

        JsonNode record = new ObjectMapper().readTree(KafkaDeadLetterHandler.toJson(failed, clock));

        assertThat(record.get("reason").asText()).isEqualTo("elasticsearch_rejected");
        assertThat(record.get("error").asText()).isEqualTo("document_parsing_exception: bad count");
        assertThat(record.get("status").asInt()).isEqualTo(400);
        assertThat(record.get("index").asText()).isEqualTo("idx");
        assertThat(record.get("doc_id").asText()).isEqualTo("id-9");
        assertThat(record.get("received_at").asText()).isEqualTo("2026-01-01T12:00:00Z");
        assertThat(record.get("payload").get("count").asLong()).isEqualTo(42);

        FailedDocument notJson =
                new FailedDocument("idx", null, 400, "t", "r", "{not json".getBytes(StandardCharsets.UTF_8));
        JsonNode textPayload = new ObjectMapper().readTree(KafkaDeadLetterHandler.toJson(notJson, clock));
        assertThat(textPayload.get("payload").asText()).isEqualTo("{not json");
        assertThat(textPayload.get("doc_id").isNull()).isTrue();
    }

    @Test
    void dailyIndexNamesUseUtcWindowStart() {
        long lateEvening = Instant.parse("2026-03-04T23:59:59.999Z").toEpochMilli();
        assertThat(DailyIndexNames.windowStats(lateEvening)).isEqualTo("hawkeye-window-stats-2026.03.04");
        assertThat(DailyIndexNames.windowStats(lateEvening + 1)).isEqualTo("hawkeye-window-stats-2026.03.05");
        assertThat(DailyIndexNames.metricStats(0)).isEqualTo("hawkeye-metric-stats-1970.01.01");
    }

    @Test
    void builderValidatesAndAppliesDefaults() {
        ElasticsearchSink<String> sink =
                ElasticsearchSink.<String>builder()
                        .setConnectionConfig(
                                ElasticsearchConnectionConfig.builder().hosts("http://es:9200").build())
                        .setDocumentFunction(s -> ElasticsearchDocument.of("idx", s, "{}"))
                        .build();
        assertThat(sink.getConnectionConfig().hosts()).containsExactly("http://es:9200");
        assertThatThrownBy(
                        () ->
                                ElasticsearchSink.<String>builder()
                                        .setDocumentFunction(s -> ElasticsearchDocument.of("idx", s, "{}"))
                                        .build())
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(
                        () ->
                                ElasticsearchSink.<String>builder()
                                        .setConnectionConfig(
                                                ElasticsearchConnectionConfig.builder()
                                                        .hosts("http://es:9200")
                                                        .build())
                                        .setDocumentFunction(s -> ElasticsearchDocument.of("idx", s, "{}"))
                                        .setMaxBatchActions(100)
                                        .setMaxBufferedRequests(10)
                                        .build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String bytes(BinaryData data) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        data.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
