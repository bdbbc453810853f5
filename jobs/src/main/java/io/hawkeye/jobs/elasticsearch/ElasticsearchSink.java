package io.hawkeye.jobs.elasticsearch;

import java.io.IOException;
import java.util.Collection;
import java.util.Collections;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * A Flink 2.x sink that writes documents to Elasticsearch with bulk requests, built on {@link
 * AsyncSinkBase} and the official {@code elasticsearch-java} client.
 *
 * <p>Generic: a {@link DocumentFunction} maps each element to an {@link ElasticsearchDocument}
 * (index, id, JSON bytes), so window statistics, alerts, incidents or scaling actions each bring
 * their own index and id scheme. Create one with {@link #builder()}:
 *
 * <pre>{@code
 * ElasticsearchSink<WindowStats> sink = ElasticsearchSink.<WindowStats>builder()
 *     .setConnectionConfig(ElasticsearchConnectionConfig.fromEnvironment(List.of("https://es:9200")))
 *     .setDocumentFunction(s -> ElasticsearchDocument.of(
 *         DailyIndexNames.windowStats(s.windowStart), s.seriesId + "@" + s.windowStart, s.toJson()))
 *     .setFailedDocumentHandler(new KafkaDeadLetterHandler(bootstrap, "hawkeye-dlq", Map.of()))
 *     .build();
 * stream.sinkTo(sink).uid("es-window-stats").name("Elasticsearch: window stats");
 * }</pre>
 *
 * <p>Guarantee: at-least-once (buffer flushed and acknowledged on every checkpoint); with
 * deterministic ids and the default {@link WriteAction#INDEX} the result is idempotent. Item-level
 * 429/409/5xx and failed requests are retried with exponential back-off; other item-level 4xx go
 * to the {@link FailedDocumentHandler}. See docs/elasticsearch.md for every option.
 */
public class ElasticsearchSink<InputT> extends AsyncSinkBase<InputT, BulkOperationEntry> {

    private static final long serialVersionUID = 1L;

    private final ElasticsearchConnectionConfig connectionConfig;
    private final FailedDocumentHandler failedDocumentHandler;
    private final ExponentialBackoff backoff;
    private final int maxItemRetries;
    private final int maxRequestRetries;

    ElasticsearchSink(
            BulkOperationEntryConverter<InputT> converter,
            int maxBatchSize,
            int maxInFlightRequests,
            int maxBufferedRequests,
            long maxBatchSizeInBytes,
            long maxTimeInBufferMs,
            long maxRecordSizeInBytes,
            long requestTimeoutMs,
            ElasticsearchConnectionConfig connectionConfig,
            FailedDocumentHandler failedDocumentHandler,
            ExponentialBackoff backoff,
            int maxItemRetries,
            int maxRequestRetries) {
        // failOnTimeout=false: a timed-out request is re-sent by the writer (ids make it harmless).
        super(
                converter,
                maxBatchSize,
                maxInFlightRequests,
                maxBufferedRequests,
                maxBatchSizeInBytes,
                maxTimeInBufferMs,
                maxRecordSizeInBytes,
                requestTimeoutMs,
                false);
        this.connectionConfig = connectionConfig;
        this.failedDocumentHandler = failedDocumentHandler;
        this.backoff = backoff;
        this.maxItemRetries = maxItemRetries;
        this.maxRequestRetries = maxRequestRetries;
    }

    public static <InputT> ElasticsearchSinkBuilder<InputT> builder() {
        return new ElasticsearchSinkBuilder<>();
    }

    @Override
    public StatefulSinkWriter<InputT, BufferedRequestState<BulkOperationEntry>> createWriter(
            WriterInitContext context) throws IOException {
        return restoreWriter(context, Collections.emptyList());
    }

    @Override
    public StatefulSinkWriter<InputT, BufferedRequestState<BulkOperationEntry>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<BulkOperationEntry>> state)
            throws IOException {
        AsyncSinkWriterConfiguration config =
                AsyncSinkWriterConfiguration.builder()
                        .setMaxBatchSize(getMaxBatchSize())
                        .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                        .setMaxInFlightRequests(getMaxInFlightRequests())
                        .setMaxBufferedRequests(getMaxBufferedRequests())
                        .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                        .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                        .setRequestTimeoutMS(getRequestTimeoutMS())
                        .setFailOnTimeout(getFailOnTimeout())
                        .build();
        try {
            return new ElasticsearchSinkWriter<>(
                    getElementConverter(),
                    context,
                    config,
                    state,
                    connectionConfig,
                    failedDocumentHandler,
                    backoff,
                    maxItemRetries,
                    maxRequestRetries);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("Cannot create Elasticsearch sink writer", e);
        }
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<BulkOperationEntry>>
            getWriterStateSerializer() {
        return new BulkOperationEntryStateSerializer();
    }

    public ElasticsearchConnectionConfig getConnectionConfig() {
        return connectionConfig;
    }
}
