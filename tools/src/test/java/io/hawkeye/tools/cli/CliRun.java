package io.hawkeye.tools.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One run of a command in a test, as a user runs it (configured by {@link HawkeyeCli#configure}): its exit code,
 * stdout and stderr.
 */
public record CliRun(int exit, String out, String err) {

    /** {@code ./hawkeye args...}: the whole command line, the subcommand first. */
    public static CliRun hawkeye(String... args) {
        return run(HawkeyeCli.commandLine(), args);
    }

    /** {@code command} on its own, as its standalone entry point runs it. */
    public static CliRun command(Object command, String... args) {
        return run(HawkeyeCli.configure(new CommandLine(command)), args);
    }

    private static CliRun run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** The lines of stderr. */
    public List<String> errLines() {
        return err.lines().toList();
    }
}
