package io.hawkeye.jobs.detect;

/** A rule that cannot be used; the message names the rule (or its position in the file) and the problem. */
public class RuleException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public RuleException(String message) {
        super(message);
    }

    public RuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
