package io.hawkeye.tools;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that writes its results to stdout and its progress and warnings to stderr, both the command line's
 * ({@code CommandLine.setOut}/{@code setErr}: tests capture them), flushed when it ends. Subclasses carry the
 * picocli {@code @Command} and options and implement {@link #run}; a user error is a {@link UserError}, one line
 * and exit code 2 ({@code HawkeyeCli.configure}).
 */
public abstract class ToolCommand implements Callable<Integer> {
    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return run(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Runs the command with the command line's stdout and stderr; the exit code. */
    protected abstract int run(PrintWriter out, PrintWriter err) throws Exception;
}
