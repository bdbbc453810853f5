package io.hawkeye.jobs.elasticsearch;

/** Fails the job when the sink cannot deliver documents and must not drop them. */
public class ElasticsearchSinkException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ElasticsearchSinkException(String message) {
        super(message);
    }

    public ElasticsearchSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
