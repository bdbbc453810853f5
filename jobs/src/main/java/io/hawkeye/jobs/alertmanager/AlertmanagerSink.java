package io.hawkeye.jobs.alertmanager;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts Alertmanager API v2 alerts ({@link AlertmanagerAlerts} JSON objects) to {@code <url>/api/v2/alerts}, in
 * batches of at most {@value #MAX_BATCH}, within {@value #MAX_DELAY_MS} ms of the first buffered one and always on
 * a checkpoint (at-least-once; Alertmanager merges repeats of an alert by its labels). A batch that fails with an
 * I/O error or a 5xx is retried {@value #ATTEMPTS} times with backoff, then the job fails and restarts from its
 * checkpoint; a 4xx (a payload Alertmanager refuses) is logged with the batch size and counted
 * ({@code alertmanagerRejected}), never retried.
 */
public class AlertmanagerSink implements Sink<String> {
    private static final long serialVersionUID = 1L;
    static final int MAX_BATCH = 64;
    static final long MAX_DELAY_MS = 500;
    static final int ATTEMPTS = 5;

    private final String url;

    public AlertmanagerSink(String url) {
        this.url = url.replaceAll("/+$", "") + "/api/v2/alerts";
    }

    @Override
    public SinkWriter<String> createWriter(WriterInitContext context) {
        return new Writer(url, context.getProcessingTimeService(),
                context.metricGroup().counter("alertmanagerPosted"),
                context.metricGroup().counter("alertmanagerRejected"));
    }

    static final class Writer implements SinkWriter<String> {
        private static final Logger LOG = LoggerFactory.getLogger(AlertmanagerSink.class);
        private final String url;
        private final ProcessingTimeService time;
        private final Counter posted;
        private final Counter rejected;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final List<String> buffer = new ArrayList<>();
        private boolean flushScheduled;

        Writer(String url, ProcessingTimeService time, Counter posted, Counter rejected) {
            this.url = url;
            this.time = time;
            this.posted = posted;
            this.rejected = rejected;
        }

        @Override
        public void write(String alert, Context context) throws IOException {
            buffer.add(alert);
            if (buffer.size() >= MAX_BATCH) {
                post();
            } else if (!flushScheduled) {
                flushScheduled = true;
                time.registerTimer(time.getCurrentProcessingTime() + MAX_DELAY_MS, t -> {
                    flushScheduled = false;
                    post();
                });
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            post();
        }

        private void post() throws IOException {
            if (buffer.isEmpty()) return;
            String body = "[" + String.join(",", buffer) + "]";
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            IOException last = null;
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                try {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 == 2) {
                        posted.inc(buffer.size());
                        buffer.clear();
                        return;
                    }
                    if (r.statusCode() / 100 == 4) {
                        LOG.error("Alertmanager refused {} alerts (HTTP {}): {}", buffer.size(), r.statusCode(),
                                r.body().length() > 500 ? r.body().substring(0, 500) : r.body());
                        rejected.inc(buffer.size());
                        buffer.clear();
                        return;
                    }
                    last = new IOException("Alertmanager answered HTTP " + r.statusCode());
                } catch (IOException e) {
                    last = e;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while posting to Alertmanager", e);
                }
                LOG.warn("Posting {} alerts to {} failed (attempt {} of {}): {}", buffer.size(), url, attempt + 1,
                        ATTEMPTS, last.getMessage());
                try {
                    Thread.sleep(Math.min(8_000L, 250L << attempt));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while posting to Alertmanager", e);
                }
            }
            throw new IOException("Alertmanager at " + url + " unreachable or failing after " + ATTEMPTS
                    + " attempts", last);
        }

        @Override
        public void close() {
            // nothing buffered survives a close without a flush: the checkpoint before it flushed
        }
    }
}
