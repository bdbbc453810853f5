package io.hawkeye.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.detect.RuleException;
import io.hawkeye.topology.TopologyException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every subcommand fails like a command line on bad input: exit code 2 and one line on stderr,
 * {@code hawkeye <command>: <problem>}, naming the problem — no stack trace.
 */
class HawkeyeCliErrorsTest {
    @TempDir
    static Path dir;

    static Path missing;
    static Path emptyCsv;
    static Path oneRowCsv;
    static Path badTopology;
    static Path badHeaderCsv;
    static Path graph;
    static Path sqlWithUndefinedVariable;
    static Path negativeTrace;

    @BeforeAll
    static void files() throws IOException {
        missing = dir.resolve("missing.csv");
        emptyCsv = Files.writeString(dir.resolve("empty.csv"), "");
        oneRowCsv = Files.writeString(dir.resolve("one-row.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n");
        badTopology = Files.writeString(dir.resolve("bad.yaml"), "name: x\nservices: [unclosed\n");
        badHeaderCsv = Files.writeString(dir.resolve("metrics.csv"), "when,what\n1,2\n");
        graph = Files.writeString(dir.resolve("graph.csv"), "caller,callee\nweb,db\n");
        negativeTrace = Files.writeString(dir.resolve("negative.csv"), "timestamp,value\n0,1\n60,-1\n");
        sqlWithUndefinedVariable = Files.writeString(dir.resolve("x.sql"), "SELECT * FROM ${NO_SUCH_HAWKEYE_VAR};");
    }

    static Stream<Arguments> badInputs() {
        String out = dir.resolve("out").toString();
        return Stream.of(
                // command name, arguments, what the line must say
                Arguments.of("hawkeye", new String[] {"bactest"}, "'bactest' (did you mean backtest"),
                Arguments.of("hawkeye backtest", new String[] {"backtest", "--input", missing.toString(), "--output",
                    out}, "--input " + missing + ": no such file"),
                Arguments.of("hawkeye backtest", new String[] {"backtest", "--input", emptyCsv.toString(), "--output",
                    out}, emptyCsv + ": empty file: no header row"),
                Arguments.of("hawkeye backtest", new String[] {"backtest", "--input", "x", "--output", out, "--ouptut"},
                    "Unknown option: '--ouptut' (did you mean --output"),
                Arguments.of("hawkeye backtest", new String[] {"backtest", "--input", oneRowCsv.toString(),
                    "--output", out, "--warm-up", "2 days"}, "'--warm-up': invalid duration '2 days'"),
                Arguments.of("hawkeye backtest", new String[] {"backtest", "--input", oneRowCsv.toString(),
                    "--output", out, "--for", "two"}, "'--for': 'two' is not an int"),
                Arguments.of("hawkeye simulate-windows", new String[] {"simulate-windows", "--duration", "60",
                    "--output", out}, "'--duration': duration '60' needs a unit"),
                Arguments.of("hawkeye simulate-windows", new String[] {"simulate-windows", "--start", "monday",
                    "--output", out}, "'--start': 'monday' is not an RFC 3339 instant"),
                Arguments.of("hawkeye simulate", new String[] {"simulate", "--start", "2024-03-04", "--output", out},
                    "'--start': '2024-03-04' is not an RFC 3339 instant"),
                Arguments.of("hawkeye simulate", new String[] {"simulate", "--duration", "0s", "--output", out},
                    "--duration: must be > 0"),
                Arguments.of("hawkeye run", new String[] {"run", "--bootstrap-servers", "k:9092",
                    "--checkpoint-interval", "10"}, "'--checkpoint-interval': duration '10' needs a unit"),
                Arguments.of("hawkeye simulate-windows", new String[] {"simulate-windows", "--topology",
                    badTopology.toString(), "--output", out}, badTopology + ": invalid YAML"),
                Arguments.of("hawkeye simulate", new String[] {"simulate", "--topology", missing.toString(),
                    "--output", out}, "--topology " + missing + ": no such file"),
                Arguments.of("hawkeye simulate", new String[] {"simulate", "--speed", "fast", "--output", out},
                    "--speed must be 'max' or a number"),
                Arguments.of("hawkeye forecast", new String[] {"forecast", "--input", oneRowCsv.toString(),
                    "--output", out, "--horizon", "15"}, "'--horizon': duration '15' needs a unit"),
                Arguments.of("hawkeye forecast", new String[] {"forecast", "--input", oneRowCsv.toString(),
                    "--output", out}, "--input " + oneRowCsv + ": need at least two"),
                Arguments.of("hawkeye capacity", new String[] {"capacity", "--rps", "lots"}, "'--rps'"),
                Arguments.of("hawkeye capacity", new String[] {"capacity", "--topology",
                    "../deploy/topologies/two-tier.yaml", "--set", "nosuch.replicas=2"}, "unknown service 'nosuch'"),
                Arguments.of("hawkeye capacity", new String[] {"capacity", "--topology", badTopology.toString()},
                    badTopology + ": invalid YAML"),
                Arguments.of("hawkeye scale-eval", new String[] {"scale-eval", "--trace", missing.toString()},
                    "--trace " + missing + ": no such file"),
                Arguments.of("hawkeye scale-eval", new String[] {"scale-eval", "--trace", oneRowCsv.toString()},
                    "--trace " + oneRowCsv + ": need at least two"),
                Arguments.of("hawkeye scale-eval", new String[] {"scale-eval", "--trace", negativeTrace.toString()},
                    "--trace " + negativeTrace + " line 3: negative value -1"),
                Arguments.of("hawkeye scale-eval", new String[] {"scale-eval", "--trace", oneRowCsv.toString(),
                    "--replicas-at-p95", "0"}, "--replicas-at-p95 must be at least 1"),
                Arguments.of("hawkeye scale-eval", new String[] {"scale-eval", "--trace", oneRowCsv.toString(),
                    "--service-time", "40"}, "'--service-time': duration '40' needs a unit"),
                Arguments.of("hawkeye scale-eval", new String[] {"scale-eval", "--trace", oneRowCsv.toString(),
                    "--plot", missing.resolve("x.png").toString()}, "--plot " + missing.resolve("x.png")
                    + ": no such directory"),
                Arguments.of("hawkeye rca", new String[] {"rca", "--graph", missing.toString(), "--normal",
                    badHeaderCsv.toString(), "--abnormal", badHeaderCsv.toString()},
                    "--graph " + missing + ": no such file"),
                Arguments.of("hawkeye rca", new String[] {"rca", "--graph", graph.toString(), "--normal",
                    badHeaderCsv.toString(), "--abnormal", badHeaderCsv.toString()},
                    badHeaderCsv + ": need header timestamp,service,signal,value"),
                Arguments.of("hawkeye rca", new String[] {"rca", "--graph", graph.toString(), "--normal",
                    badHeaderCsv.toString(), "--abnormal", badHeaderCsv.toString(), "--normal-edges",
                    badHeaderCsv.toString()}, "--normal-edges and --abnormal-edges go together"),
                Arguments.of("hawkeye rca-eval", new String[] {"rca-eval"}, "give either --cases DIR or --simulated"),
                Arguments.of("hawkeye rca-eval", new String[] {"rca-eval", "--cases", missing.toString()},
                    "--cases " + missing + " is not a directory"),
                Arguments.of("hawkeye rca-eval", new String[] {"rca-eval", "--cases", dir.toString()},
                    "holds no case folder"),
                Arguments.of("hawkeye sql", new String[] {"sql", missing.toString()}, "FILE " + missing
                    + ": no such file"),
                Arguments.of("hawkeye sql", new String[] {"sql", sqlWithUndefinedVariable.toString(), "--print"},
                    "undefined variables"),
                Arguments.of("hawkeye run", new String[] {"run"}, "Missing required option: '--bootstrap-servers"),
                Arguments.of("hawkeye run", new String[] {"run", "--bootstrap-servers", "k:9092", "--parallelism",
                    "many"}, "'--parallelism': 'many' is not an int"),
                Arguments.of("hawkeye demo", new String[] {"demo", "--speed", "fast"}, "'--speed': 'fast' is not"),
                Arguments.of("hawkeye demo", new String[] {"demo", "--faults", "all"}, "'--faults': expected one of"),
                Arguments.of("hawkeye stack", new String[] {"stack", "--bogus"}, "Unknown option: '--bogus'"),
                Arguments.of("hawkeye stack up", new String[] {"stack", "up", "--topics"}, "Missing required parameter"),
                Arguments.of("hawkeye options", new String[] {"options", "--markdown"},
                    "Unknown option: '--markdown'"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badInputs")
    void badInputIsOneLineAndExitCode2(String command, String[] args, String problem) {
        CliRun r = CliRun.hawkeye(args);
        assertThat(r.exit()).as(String.join("\n", r.errLines())).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        String line = r.errLines().get(0);
        assertThat(line).startsWith(command + ": ").contains(problem).doesNotContain("Exception", "at io.");
    }

    @Test
    void userErrorsAreRecognisedThroughTheirCauses() {
        CommandLine cl = HawkeyeCli.commandLine();
        assertThat(HawkeyeCli.userError(new RuleException("rules.yaml: rule 'H' is defined twice"), cl))
                .isEqualTo("rules.yaml: rule 'H' is defined twice");
        assertThat(HawkeyeCli.userError(new IllegalConfigurationException(
                "unknown option 'widnow.size' (did you mean window.size?)"), cl))
                .isEqualTo("unknown option 'widnow.size' (did you mean window.size?)");
        assertThat(HawkeyeCli.userError(new RuntimeException(new TopologyException("t.yaml: bad")), cl))
                .isEqualTo("t.yaml: bad");
        assertThat(HawkeyeCli.userError(new UncheckedIOException("cannot read x",
                new NoSuchFileException("/x.yaml")), cl)).isEqualTo("/x.yaml: no such file");
    }

    @Test
    void bugsAreNoUserErrors() {
        CommandLine cl = HawkeyeCli.commandLine();
        assertThat(HawkeyeCli.userError(new IllegalStateException("invariant broken"), cl)).isNull();
        assertThat(HawkeyeCli.userError(new IllegalArgumentException("internal misuse"), cl)).isNull();
        assertThat(HawkeyeCli.userError(new NullPointerException(), cl)).isNull();
    }
}
