package io.hawkeye.jobs.elasticsearch;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs each rejected document (index, id, status and Elasticsearch's error, never the source) and
 * counts them. The default handler: nothing is lost silently, and the sink's {@code
 * elasticsearchRejected} metric carries the count to dashboards; use {@link
 * KafkaDeadLetterHandler} when the documents themselves must be kept.
 */
public class LoggingFailedDocumentHandler implements FailedDocumentHandler {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LoggingFailedDocumentHandler.class);

    private transient AtomicLong count;

    @Override
    public void open(int subtaskIndex) {
        count = new AtomicLong();
    }

    @Override
    public void handle(FailedDocument document) {
        if (count == null) {
            count = new AtomicLong();
        }
        long n = count.incrementAndGet();
        LOG.warn(
                "Elasticsearch rejected document index={} id={} status={} error={} (rejected so far: {})",
                document.index(),
                document.id(),
                document.status(),
                document.describeError(),
                n);
    }

    /** Documents this instance rejected since {@link #open}. */
    public long getCount() {
        return count == null ? 0 : count.get();
    }
}
