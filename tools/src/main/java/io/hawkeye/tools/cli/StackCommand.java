package io.hawkeye.tools.cli;

import io.hawkeye.local.LocalStack;
import io.hawkeye.local.TopicSpec;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code stack up|down|status}: manages the local Kafka broker and Elasticsearch node ({@link LocalStack}).
 * {@code up} and {@code status} print machine-readable lines:
 * <pre>
 *   KAFKA=127.0.0.1:9092
 *   ELASTICSEARCH=http://127.0.0.1:9200
 * </pre>
 * {@code status} prints {@code STOPPED} and exits 1 when nothing runs (exit 2 when only one service runs).
 */
@Command(name = "stack", mixinStandardHelpOptions = true,
        description = "Start, stop and inspect the local Kafka broker and Elasticsearch node.",
        subcommands = {StackCommand.Up.class, StackCommand.Down.class, StackCommand.Status.class})
public final class StackCommand extends ToolCommand {

    @Mixin
    StackHomeOption home;

    @Override
    protected int run(PrintWriter out, PrintWriter err) {
        spec.commandLine().usage(out);
        return 0;
    }

    LocalStack stack() {
        return home.stack();
    }

    static void printEndpoints(PrintWriter out, LocalStack.Endpoints e) {
        out.println("KAFKA=" + e.kafkaBootstrap());
        out.println("ELASTICSEARCH=" + e.elasticsearchUrl());
        out.flush();
    }

    /** What {@code up}, {@code down} and {@code status} share: the stack of the parent command, the output. */
    abstract static class Subcommand extends ToolCommand {
        @ParentCommand
        StackCommand parent;

        @Override
        protected final int run(PrintWriter out, PrintWriter err) throws Exception {
            return run(parent.stack(), out, err);
        }

        abstract int run(LocalStack stack, PrintWriter out, PrintWriter err) throws Exception;
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {"Start Kafka and Elasticsearch (reusing them if already running), create the topics of"
                    + " deploy/topics.txt and install deploy/elasticsearch/templates/*.json.",
                    "The services keep running after this command exits; stop them with 'stack down'."})
    static final class Up extends Subcommand {

        @Option(names = "--topics", description = "Topics file: 'name partitions [key=value,...]' per line"
                + " (default: deploy/topics.txt).")
        Path topics;

        @Override
        int run(LocalStack stack, PrintWriter out, PrintWriter err) throws Exception {
            Path file = topics != null ? topics : stack.topicsFile();
            List<TopicSpec> specs;
            try {
                specs = TopicSpec.readFile(file);
            } catch (IOException e) {
                if (e.getCause() instanceof IllegalArgumentException) throw new UserError(e.getMessage(), e);
                throw e;
            }
            LocalStack.UpResult r = stack.up(specs);
            err.println(r.startedByThisCall() ? "Local stack started (state in " + stack.stateDir() + ")"
                    : "Local stack already running (state in " + stack.stateDir() + ")");
            printEndpoints(out, r.endpoints());
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true,
            description = "Stop Kafka and Elasticsearch and wait until they are gone. Data and logs are kept.")
    static final class Down extends Subcommand {

        @Override
        int run(LocalStack stack, PrintWriter out, PrintWriter err) throws Exception {
            out.println(stack.down() ? "STOPPED" : "STOPPED (was not running)");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Print the endpoints of the running stack; prints STOPPED and exits 1 when it is down.")
    static final class Status extends Subcommand {

        @Override
        int run(LocalStack stack, PrintWriter out, PrintWriter err) throws Exception {
            LocalStack.Status s = stack.status();
            if (s.running()) {
                printEndpoints(out, s.endpoints().orElseThrow());
                return 0;
            }
            if (!s.kafkaRunning() && !s.elasticsearchRunning()) {
                out.println("STOPPED");
                return 1;
            }
            // Half a stack: print what answers, say what does not; `stack up` starts the missing part.
            if (s.kafkaRunning()) {
                out.println("KAFKA=" + s.state().kafkaBootstrap());
            }
            if (s.elasticsearchRunning()) {
                out.println("ELASTICSEARCH=" + s.state().elasticsearchUrl());
            }
            err.println("DEGRADED: " + (s.kafkaRunning() ? "Elasticsearch" : "Kafka")
                    + " is not running; run 'stack up'");
            return 2;
        }
    }

    public static void main(String[] args) {
        System.exit(HawkeyeCli.configure(new CommandLine(new StackCommand())).execute(args));
    }
}
