package io.hawkeye.jobs.elasticsearch;

import java.time.Duration;
import java.util.Objects;

/**
 * Builder for {@link ElasticsearchSink}. Required: {@link #setConnectionConfig} and {@link
 * #setDocumentFunction}; every other option has the documented default below.
 */
public class ElasticsearchSinkBuilder<InputT> {

    /** Bulk actions per request. */
    public static final int DEFAULT_MAX_BATCH_ACTIONS = 1000;
    /** Bytes per bulk request (5 MiB, Elastic's recommended starting point). */
    public static final long DEFAULT_MAX_BATCH_BYTES = 5L * 1024 * 1024;
    /** Longest an element waits in the buffer before a partial batch is sent. */
    public static final Duration DEFAULT_MAX_TIME_IN_BUFFER = Duration.ofSeconds(1);
    /** Concurrent bulk requests per subtask. */
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 4;
    /** Buffered documents per subtask before the writer back-pressures. */
    public static final int DEFAULT_MAX_BUFFERED_REQUESTS = 10_000;
    /** Largest single document; bigger ones fail the job (Elasticsearch's http.max_content_length is 100 MiB). */
    public static final long DEFAULT_MAX_RECORD_BYTES = 5L * 1024 * 1024;
    /** After this a request is abandoned and its documents are sent again. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(5);
    /** Retries of one document answered 429/409/5xx before the job fails (~5 min at the back-off cap). */
    public static final int DEFAULT_MAX_ITEM_RETRIES = 30;
    /** Retries of failed requests: unlimited, so a down cluster back-pressures instead of failing. */
    public static final int DEFAULT_MAX_REQUEST_RETRIES = -1;

    private ElasticsearchConnectionConfig connectionConfig;
    private DocumentFunction<InputT> documentFunction;
    private WriteAction writeAction = WriteAction.INDEX;
    private int maxBatchActions = DEFAULT_MAX_BATCH_ACTIONS;
    private long maxBatchBytes = DEFAULT_MAX_BATCH_BYTES;
    private Duration maxTimeInBuffer = DEFAULT_MAX_TIME_IN_BUFFER;
    private int maxInFlightRequests = DEFAULT_MAX_IN_FLIGHT_REQUESTS;
    private int maxBufferedRequests = DEFAULT_MAX_BUFFERED_REQUESTS;
    private long maxRecordBytes = DEFAULT_MAX_RECORD_BYTES;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private ExponentialBackoff backoff = ExponentialBackoff.defaults();
    private int maxItemRetries = DEFAULT_MAX_ITEM_RETRIES;
    private int maxRequestRetries = DEFAULT_MAX_REQUEST_RETRIES;
    private FailedDocumentHandler failedDocumentHandler = new LoggingFailedDocumentHandler();

    ElasticsearchSinkBuilder() {}

    public ElasticsearchSinkBuilder<InputT> setConnectionConfig(ElasticsearchConnectionConfig config) {
        this.connectionConfig = Objects.requireNonNull(config);
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setDocumentFunction(DocumentFunction<InputT> function) {
        this.documentFunction = Objects.requireNonNull(function);
        return this;
    }

    /** {@link WriteAction#INDEX} (default) or {@link WriteAction#UPDATE_UPSERT}. */
    public ElasticsearchSinkBuilder<InputT> setWriteAction(WriteAction action) {
        this.writeAction = Objects.requireNonNull(action);
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setMaxBatchActions(int actions) {
        this.maxBatchActions = actions;
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setMaxBatchBytes(long bytes) {
        this.maxBatchBytes = bytes;
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setMaxTimeInBuffer(Duration time) {
        this.maxTimeInBuffer = Objects.requireNonNull(time);
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setMaxInFlightRequests(int requests) {
        this.maxInFlightRequests = requests;
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setMaxBufferedRequests(int documents) {
        this.maxBufferedRequests = documents;
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setMaxRecordBytes(long bytes) {
        this.maxRecordBytes = bytes;
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setRequestTimeout(Duration timeout) {
        this.requestTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setRetryBackoff(Duration base, Duration max) {
        this.backoff = new ExponentialBackoff(base, max);
        return this;
    }

    /** Per-document retries of 429/409/5xx items; negative = unlimited. */
    public ElasticsearchSinkBuilder<InputT> setMaxItemRetries(int retries) {
        this.maxItemRetries = retries;
        return this;
    }

    /** Consecutive failed requests (connection errors, timeouts, 429/5xx) tolerated; negative = unlimited. */
    public ElasticsearchSinkBuilder<InputT> setMaxRequestRetries(int retries) {
        this.maxRequestRetries = retries;
        return this;
    }

    public ElasticsearchSinkBuilder<InputT> setFailedDocumentHandler(FailedDocumentHandler handler) {
        this.failedDocumentHandler = Objects.requireNonNull(handler);
        return this;
    }

    public ElasticsearchSink<InputT> build() {
        Objects.requireNonNull(connectionConfig, "connectionConfig is required");
        Objects.requireNonNull(documentFunction, "documentFunction is required");
        check(maxBatchActions > 0, "maxBatchActions must be positive");
        check(maxBatchBytes > 0, "maxBatchBytes must be positive");
        check(maxInFlightRequests > 0, "maxInFlightRequests must be positive");
        // AsyncSinkWriter requires strictly more buffered entries than one batch.
        check(maxBufferedRequests > maxBatchActions, "maxBufferedRequests must be > maxBatchActions");
        check(maxRecordBytes > 0 && maxRecordBytes <= maxBatchBytes, "maxRecordBytes must be in (0, maxBatchBytes]");
        check(!maxTimeInBuffer.isNegative() && !maxTimeInBuffer.isZero(), "maxTimeInBuffer must be positive");
        check(!requestTimeout.isNegative() && !requestTimeout.isZero(), "requestTimeout must be positive");
        return new ElasticsearchSink<>(
                new BulkOperationEntryConverter<>(documentFunction, writeAction),
                maxBatchActions,
                maxInFlightRequests,
                maxBufferedRequests,
                maxBatchBytes,
                maxTimeInBuffer.toMillis(),
                maxRecordBytes,
                requestTimeout.toMillis(),
                connectionConfig,
                failedDocumentHandler,
                backoff,
                maxItemRetries,
                maxRequestRetries);
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
