package io.hawkeye.jobs.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;
import org.apache.flink.util.concurrent.ExecutorThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends batches of {@link BulkOperationEntry} as bulk requests and sorts the answers into done,
 * retry and rejected.
 *
 * <p>Threads. {@link #submitRequestEntries} runs on the task (mailbox) thread and only starts the
 * non-blocking request. The HTTP client completes the future on its I/O reactor thread; we move
 * straight to a single-threaded callback executor owned by this writer, because handling a
 * response may block (a dead-letter handler waiting for Kafka acks) and a back-off must wait:
 * sleeping on the reactor would stall every other request of the client, and sleeping on the
 * mailbox thread would stop checkpoints and timers. Instead a retry is <em>scheduled</em> on the
 * callback executor and only then reported through {@link ResultHandler#retryForEntries}, which
 * puts the entries back at the head of the buffer. Until then the request still counts as in
 * flight, so with all in-flight slots waiting out back-offs the writer stops taking input: a slow
 * or down cluster back-pressures the job instead of filling memory.
 *
 * <p>Guarantees. {@code AsyncSinkWriter.flush(true)} (before every checkpoint and at end of input)
 * waits until the buffer is empty and no request is in flight, including retries, so every
 * element before a checkpoint barrier is acknowledged by Elasticsearch, dead-lettered or has
 * failed the job: at-least-once. Deterministic document ids make the replays after a restore
 * overwrite rather than duplicate.
 */
class ElasticsearchSinkWriter<InputT> extends AsyncSinkWriter<InputT, BulkOperationEntry> {

    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkWriter.class);

    static final String REJECTED_METRIC = "elasticsearchRejected";
    static final String RETRIES_METRIC = "elasticsearchRetries";

    private final ElasticsearchAsyncClient client;
    private final ScheduledExecutorService callbackExecutor;
    private final FailedDocumentHandler failedDocumentHandler;
    private final ExponentialBackoff backoff;
    private final int maxItemRetries;
    private final int maxRequestRetries;
    private final Counter rejectedCounter;
    private final Counter retriesCounter;

    /** Failed requests since the last answered one: the cluster-level retry count. */
    private final AtomicInteger consecutiveRequestFailures = new AtomicInteger();

    ElasticsearchSinkWriter(
            ElementConverter<InputT, BulkOperationEntry> elementConverter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            Collection<BufferedRequestState<BulkOperationEntry>> states,
            ElasticsearchConnectionConfig connectionConfig,
            FailedDocumentHandler failedDocumentHandler,
            ExponentialBackoff backoff,
            int maxItemRetries,
            int maxRequestRetries)
            throws Exception {
        super(elementConverter, context, configuration, states);
        this.backoff = backoff;
        this.maxItemRetries = maxItemRetries;
        this.maxRequestRetries = maxRequestRetries;
        this.failedDocumentHandler = failedDocumentHandler;
        this.rejectedCounter =
                context.metricGroup().counter(REJECTED_METRIC, new ThreadSafeSimpleCounter());
        this.retriesCounter =
                context.metricGroup().counter(RETRIES_METRIC, new ThreadSafeSimpleCounter());
        int subtask = context.getTaskInfo().getIndexOfThisSubtask();
        ScheduledThreadPoolExecutor executor =
                new ScheduledThreadPoolExecutor(
                        1, new ExecutorThreadFactory("elasticsearch-sink-callback-" + subtask));
        executor.setRemoveOnCancelPolicy(true);
        this.callbackExecutor = executor;
        failedDocumentHandler.open(subtask);
        // Logged config redacts secrets (see ElasticsearchConnectionConfig#toString).
        LOG.info("Elasticsearch sink writer {} connecting to {}", subtask, connectionConfig);
        this.client = ElasticsearchClientFactory.createAsyncClient(connectionConfig);
    }

    @Override
    protected void submitRequestEntries(
            List<BulkOperationEntry> entries, ResultHandler<BulkOperationEntry> result) {
        CompletableFuture<BulkResponse> response;
        try {
            response = client.bulk(BulkRequests.build(entries));
        } catch (Exception e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenCompleteAsync(
                (bulk, error) -> {
                    try {
                        if (error != null) {
                            onRequestFailure(entries, error, result);
                        } else {
                            onResponse(entries, bulk, result);
                        }
                    } catch (Exception e) {
                        // e.g. the FailedDocumentHandler could not store a rejected document:
                        // failing the job (and replaying) beats losing it.
                        result.completeExceptionally(
                                new ElasticsearchSinkException(
                                        "Handling the bulk response failed: " + e, e));
                    }
                },
                callbackExecutor);
    }

    private void onResponse(
            List<BulkOperationEntry> entries,
            BulkResponse response,
            ResultHandler<BulkOperationEntry> result)
            throws Exception {
        consecutiveRequestFailures.set(0);
        if (!response.errors()) {
            result.complete();
            return;
        }
        List<BulkResponseItem> items = response.items();
        if (items.size() != entries.size()) {
            result.completeExceptionally(
                    new ElasticsearchSinkException(
                            "Bulk response has "
                                    + items.size()
                                    + " items for "
                                    + entries.size()
                                    + " operations"));
            return;
        }
        List<BulkOperationEntry> retry = new ArrayList<>();
        int maxAttempt = 0;
        BulkResponseItem firstRetried = null;
        boolean rejectedAny = false;
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            BulkOperationEntry entry = entries.get(i);
            // Deleting an absent document (already deleted, never written) is the wanted end state.
            boolean deletedAlready = entry.getAction() == WriteAction.DELETE && item.status() == 404;
            RetryClassifier.ItemOutcome outcome =
                    deletedAlready
                            ? RetryClassifier.ItemOutcome.SUCCESS
                            : RetryClassifier.classifyItem(item.status());
            switch (outcome) {
                case SUCCESS:
                    break;
                case RETRY:
                    int attempt = entry.incrementItemRetries();
                    if (maxItemRetries >= 0 && attempt > maxItemRetries) {
                        result.completeExceptionally(
                                new ElasticsearchSinkException(
                                        "Elasticsearch kept failing document index="
                                                + item.index()
                                                + " id="
                                                + item.id()
                                                + " with status "
                                                + item.status()
                                                + " ("
                                                + describe(item.error())
                                                + ") after "
                                                + maxItemRetries
                                                + " retries; failing the job"));
                        return;
                    }
                    maxAttempt = Math.max(maxAttempt, attempt);
                    retry.add(entry);
                    if (firstRetried == null) {
                        firstRetried = item;
                    }
                    break;
                case REJECT:
                    rejectedAny = true;
                    rejectedCounter.inc();
                    failedDocumentHandler.handle(toFailedDocument(entry, item));
                    break;
                default:
                    throw new IllegalStateException();
            }
        }
        if (rejectedAny) {
            // Durable before the request completes, so a checkpoint cannot pass a lost dead letter.
            failedDocumentHandler.flush();
        }
        if (retry.isEmpty()) {
            result.complete();
            return;
        }
        long delay = backoff.delayMillis(maxAttempt);
        LOG.warn(
                "Retrying {} of {} bulk items in {} ms (attempt {}), e.g. status {}: {}",
                retry.size(),
                entries.size(),
                delay,
                maxAttempt,
                firstRetried.status(),
                describe(firstRetried.error()));
        retriesCounter.inc(retry.size());
        callbackExecutor.schedule(() -> result.retryForEntries(retry), delay, TimeUnit.MILLISECONDS);
    }

    private void onRequestFailure(
            List<BulkOperationEntry> entries,
            Throwable error,
            ResultHandler<BulkOperationEntry> result) {
        Throwable cause = unwrap(error);
        if (!RetryClassifier.isRetriableRequestFailure(cause)) {
            int status = RetryClassifier.httpStatus(cause);
            result.completeExceptionally(
                    new ElasticsearchSinkException(
                            "Bulk request failed and is not retriable"
                                    + (status > 0 ? " (HTTP " + status + ")" : "")
                                    + ": "
                                    + cause,
                            cause));
            return;
        }
        int failures = consecutiveRequestFailures.incrementAndGet();
        if (maxRequestRetries >= 0 && failures > maxRequestRetries) {
            result.completeExceptionally(
                    new ElasticsearchSinkException(
                            "Elasticsearch unreachable or failing: "
                                    + failures
                                    + " consecutive bulk requests failed (max retries "
                                    + maxRequestRetries
                                    + "), last error: "
                                    + cause,
                            cause));
            return;
        }
        long delay = backoff.delayMillis(failures);
        LOG.warn(
                "Bulk request of {} documents failed ({} consecutive failures), retrying in {} ms: {}",
                entries.size(),
                failures,
                delay,
                cause.toString());
        retriesCounter.inc(entries.size());
        callbackExecutor.schedule(
                () -> result.retryForEntries(entries), delay, TimeUnit.MILLISECONDS);
    }

    @Override
    protected long getSizeInBytes(BulkOperationEntry entry) {
        return entry.estimatedSizeInBytes();
    }

    @Override
    public void close() {
        try {
            super.close();
        } finally {
            callbackExecutor.shutdownNow();
            closeQuietly(client);
            try {
                failedDocumentHandler.close();
            } catch (Exception e) {
                LOG.warn("Closing the failed-document handler failed", e);
            }
        }
    }

    static FailedDocument toFailedDocument(BulkOperationEntry entry, BulkResponseItem item) {
        ErrorCause error = item.error();
        ElasticsearchDocument doc = entry.getDocument();
        return new FailedDocument(
                doc.getIndex(),
                doc.getId(),
                item.status(),
                error == null ? "unknown" : error.type(),
                reasonWithCause(error),
                doc.getSource());
    }

    /** The reason plus the caused-by reason: for parse errors the cause names the bad value. */
    static String reasonWithCause(ErrorCause error) {
        if (error == null) {
            return "no error details";
        }
        String reason = String.valueOf(error.reason());
        ErrorCause cause = error.causedBy();
        if (cause != null && cause.reason() != null && !reason.contains(cause.reason())) {
            reason += " (caused by " + cause.type() + ": " + cause.reason() + ")";
        }
        return reason;
    }

    private static String describe(ErrorCause error) {
        return error == null ? "no error details" : error.type() + ": " + reasonWithCause(error);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof java.util.concurrent.CompletionException
                        || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("Closing the Elasticsearch client failed", e);
        }
    }
}
