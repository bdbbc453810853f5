package io.hawkeye.tools;

/**
 * A mistake in what the user gave a command (a malformed input file, an impossible combination of options): the
 * command line prints its message as one line, {@code hawkeye <command>: <message>}, and exits 2 — no stack trace.
 * The message names the input and the problem. An {@link IllegalArgumentException}, so that parsers throwing it
 * keep their contract.
 */
public class UserError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
