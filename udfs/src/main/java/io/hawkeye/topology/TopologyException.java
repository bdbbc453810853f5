package io.hawkeye.topology;



/** A topology that cannot be loaded; the message names the offending path, e.g. {@code services.db.replicas}. */
public class TopologyException extends IllegalArgumentException {
    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
