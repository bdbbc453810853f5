package io.hawkeye.tools.cli;

import io.hawkeye.config.Durations;
import io.hawkeye.jobs.detect.RuleException;
import io.hawkeye.tools.UserError;
import io.hawkeye.topology.TopologyException;
import java.io.FileNotFoundException;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.table.api.SqlParserException;
import org.apache.flink.table.api.ValidationException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ./hawkeye} command line: one entry point, a subcommand per task, {@code --help} everywhere.
 *
 * <p>It fails like a command line: a user error — an unknown or malformed option, a bad duration or number, a
 * missing or unreadable file, a bad topology, rule file, CSV or job option ({@link #userError}) — is one line on
 * stderr, {@code hawkeye <command>: <problem>}, and exit code 2. Anything else is a bug: stack trace, exit 1.
 * Every {@link Duration} option takes the syntax of {@link Durations}, every {@link Instant} option RFC 3339.
 */
@Command(name = "hawkeye", mixinStandardHelpOptions = true, version = "Hawkeye 0.1.0",
        description = "Real-time AIOps analytics on Apache Flink.",
        subcommands = {DemoCommand.class, io.hawkeye.tools.cli.StackCommand.class,
            io.hawkeye.tools.cli.SimulateCommand.class, RunCommand.class, OptionsCommand.class,
            io.hawkeye.tools.detect.BacktestCommand.class, io.hawkeye.tools.detect.EvaluateCommand.class,
            io.hawkeye.tools.detect.SimulateWindowsCommand.class,
            io.hawkeye.tools.scale.ForecastCommand.class, io.hawkeye.tools.scale.CapacityCommand.class,
            io.hawkeye.tools.scale.ScaleEvalCommand.class,
            io.hawkeye.tools.rca.RcaCommand.class, io.hawkeye.tools.rca.RcaEvaluateCommand.class, io.hawkeye.tools.sql.SqlCommand.class,
            CommandLine.HelpCommand.class})
public class HawkeyeCli {
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The whole command line, configured as {@link #configure} does. */
    public static CommandLine commandLine() {
        return configure(new CommandLine(new HawkeyeCli()));
    }

    /**
     * Applies Hawkeye's conventions to a command and its subcommands: the duration and instant syntax, and the one-line
     * reporting of user errors. Standalone entry points ({@code SimulateCommand.main}) use it too.
     */
    public static CommandLine configure(CommandLine cl) {
        return cl.setCaseInsensitiveEnumValuesAllowed(true)
                .registerConverter(Duration.class, HawkeyeCli::duration)
                .registerConverter(Instant.class, HawkeyeCli::instant)
                .setParameterExceptionHandler(HawkeyeCli::invalidInput)
                .setExecutionExceptionHandler(HawkeyeCli::failed);
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    private static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + text + "' is not an RFC 3339 instant like 2024-03-04T00:00:00Z");
        }
    }

    /** Unknown options, missing or malformed values: picocli's message, with its suggestions, on one line. */
    private static int invalidInput(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        String message = firstLine(e.getMessage());
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + u.getSuggestions().get(0) + "?)"; // the closest
        }
        report(cmd, message);
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        String problem = userError(e, cmd);
        if (problem == null) throw e; // a bug: picocli prints the stack trace and exits 1
        report(cmd, problem);
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static void report(CommandLine cmd, String message) {
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        err.flush();
    }

    /**
     * The one-line description of a user error anywhere in {@code e}'s causes (the outermost wins: it says most),
     * or null when {@code e} is no user error.
     */
    static String userError(Throwable e, CommandLine cmd) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ParameterException || t instanceof UserError || t instanceof TopologyException
                    || t instanceof RuleException || t instanceof IllegalConfigurationException
                    || t instanceof ValidationException || t instanceof SqlParserException) {
                return firstLine(t.getMessage());
            }
            if (t instanceof FileSystemException f && f.getFile() != null) {
                String reason = t instanceof NoSuchFileException ? "no such file"
                        : t instanceof AccessDeniedException ? "permission denied"
                        : t instanceof NotDirectoryException ? "not a directory"
                        : t instanceof FileAlreadyExistsException ? "already exists"
                        : f.getReason() != null ? f.getReason() : "cannot access";
                return file(cmd, f.getFile()) + ": " + reason;
            }
            if (t instanceof FileNotFoundException) {
                return firstLine(t.getMessage()); // "/path (No such file or directory)"
            }
        }
        return null;
    }

    /** {@code --option PATH} when an option of the command has that value, else {@code PATH}. */
    private static String file(CommandLine cmd, String path) {
        for (ArgSpec arg : cmd.getCommandSpec().args()) {
            Object value = arg.getValue();
            if (value != null && value.toString().equals(path)) {
                String name = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
                return name + " " + path;
            }
        }
        return path;
    }

    private static String firstLine(String message) {
        if (message == null || message.isBlank()) return "invalid input";
        return message.strip().lines().findFirst().orElse("").strip();
    }
}
