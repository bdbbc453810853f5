package io.hawkeye.jobs.elasticsearch;

import static io.hawkeye.jobs.elasticsearch.RetryClassifier.ItemOutcome.REJECT;
import static io.hawkeye.jobs.elasticsearch.RetryClassifier.ItemOutcome.RETRY;
import static io.hawkeye.jobs.elasticsearch.RetryClassifier.ItemOutcome.SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorResponse;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Retry classification of bulk items and failed requests, and back-off bounds. */
class ElasticsearchRetryPolicyTest {

    @Test
    void itemStatuses() {
        assertThat(RetryClassifier.classifyItem(200)).isEqualTo(SUCCESS);
        assertThat(RetryClassifier.classifyItem(201)).isEqualTo(SUCCESS);
        assertThat(RetryClassifier.classifyItem(429)).isEqualTo(RETRY);
        assertThat(RetryClassifier.classifyItem(409)).isEqualTo(RETRY);
        assertThat(RetryClassifier.classifyItem(500)).isEqualTo(RETRY);
        assertThat(RetryClassifier.classifyItem(503)).isEqualTo(RETRY);
        assertThat(RetryClassifier.classifyItem(400)).isEqualTo(REJECT);
        assertThat(RetryClassifier.classifyItem(404)).isEqualTo(REJECT);
        assertThat(RetryClassifier.classifyItem(413)).isEqualTo(REJECT);
    }

    @Test
    void requestFailures() {
        assertThat(RetryClassifier.isRetriableRequestFailure(new ConnectException("refused"))).isTrue();
        assertThat(
                        RetryClassifier.isRetriableRequestFailure(
                                new CompletionException(new SocketTimeoutException("read timed out"))))
                .isTrue();
        assertThat(RetryClassifier.isRetriableRequestFailure(esError(503))).isTrue();
        assertThat(RetryClassifier.isRetriableRequestFailure(esError(429))).isTrue();
        assertThat(RetryClassifier.isRetriableRequestFailure(esError(401))).isFalse();
        assertThat(RetryClassifier.isRetriableRequestFailure(esError(403))).isFalse();
        assertThat(RetryClassifier.isRetriableRequestFailure(new IllegalStateException("bug"))).isFalse();
        assertThat(RetryClassifier.httpStatus(new RuntimeException(esError(502)))).isEqualTo(502);
        assertThat(RetryClassifier.httpStatus(new ConnectException())).isEqualTo(-1);
    }

    @Test
    void backoffGrowsExponentiallyWithinBounds() {
        ExponentialBackoff backoff = ExponentialBackoff.defaults();
        assertThat(backoff.ceilingMillis(1)).isEqualTo(100);
        assertThat(backoff.ceilingMillis(2)).isEqualTo(200);
        assertThat(backoff.ceilingMillis(5)).isEqualTo(1600);
        assertThat(backoff.ceilingMillis(8)).isEqualTo(10_000);
        assertThat(backoff.ceilingMillis(1_000)).isEqualTo(10_000);

        for (int attempt = 1; attempt < 100; attempt++) {
            long ceiling = backoff.ceilingMillis(attempt);
            assertThat(backoff.delayMillis(attempt, () -> 0.0)).isEqualTo(ceiling / 2);
            assertThat(backoff.delayMillis(attempt, () -> 0.999_999_999)).isEqualTo(ceiling);
            assertThat(backoff.delayMillis(attempt)).isBetween(ceiling / 2, ceiling);
        }
    }

    @Test
    void customBackoff() {
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
        assertThat(backoff.ceilingMillis(1)).isEqualTo(10);
        assertThat(backoff.ceilingMillis(4)).isEqualTo(50);
    }

    private static ElasticsearchException esError(int status) {
        return new ElasticsearchException(
                "bulk",
                ErrorResponse.of(e -> e.status(status).error(c -> c.type("test_exception").reason("x"))));
    }
}
