package io.hawkeye.jobs.elasticsearch;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.transport.TransportException;
import java.io.IOException;
import org.elasticsearch.client.ResponseException;

/**
 * Decides what happens to a bulk item or a failed bulk request. Pure functions, so that the policy
 * is unit-tested without a cluster.
 */
final class RetryClassifier {

    /** What to do with one bulk response item. */
    enum ItemOutcome {
        /** Written (2xx). */
        SUCCESS,
        /** Transient: 429 (rejected execution, queue full), 409 (version conflict) or 5xx. */
        RETRY,
        /** The document itself is wrong (other 4xx: mapping conflict, parse error, ...). */
        REJECT
    }

    private RetryClassifier() {}

    static ItemOutcome classifyItem(int status) {
        if (status >= 200 && status < 300) {
            return ItemOutcome.SUCCESS;
        }
        if (isRetriableStatus(status)) {
            return ItemOutcome.RETRY;
        }
        return ItemOutcome.REJECT;
    }

    /**
     * 409 only arises from concurrent updates of one document (plain index actions carry no
     * version), where re-applying the update is correct.
     */
    static boolean isRetriableStatus(int status) {
        return status == 429 || status == 409 || status >= 500;
    }

    /**
     * Whether a whole bulk request that failed may be sent again. Retried: any I/O problem
     * (connection refused or reset, timeouts, TLS hiccups) and 429/5xx answers; a down or
     * overloaded cluster is waited for, not written off. Not retried: other 4xx answers
     * (401/403/400) — they are configuration errors that retrying will not fix — and
     * anything else, which is a bug.
     */
    static boolean isRetriableRequestFailure(Throwable failure) {
        int status = httpStatus(failure);
        if (status > 0) {
            return isRetriableStatus(status);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The HTTP status carried by the failure or one of its causes, or -1. */
    static int httpStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ElasticsearchException) {
                return ((ElasticsearchException) t).status();
            }
            if (t instanceof TransportException && ((TransportException) t).statusCode() > 0) {
                return ((TransportException) t).statusCode();
            }
            if (t instanceof ResponseException) {
                return ((ResponseException) t).getResponse().getStatusLine().getStatusCode();
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return -1;
    }
}
