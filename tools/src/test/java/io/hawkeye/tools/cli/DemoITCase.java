package io.hawkeye.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.local.LocalStack;
import io.hawkeye.local.MavenResolver;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hawkeye demo --duration N} with no stack running: it starts a real Kafka broker and a real
 * Elasticsearch node, shows live percentiles read back from Kafka, exits by itself and leaves no process behind.
 */
class DemoITCase {
    @TempDir
    Path home;

    @Test
    void demoShowsLivePercentilesAndLeavesNoProcessBehind() throws Exception {
        Set<Long> before = descendants();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exit;
        try (PrintStream tee = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(tee);
            // 60 s at 40x = 42 simulated minutes; the demo's fault (db service times x2) runs from minute 14.7 to 21.
            exit = new CommandLine(new DemoCommand()).execute("--duration", "60", "--home", home.toString(),
                    "--topology", Path.of("..", "deploy", "topologies", "two-tier.yaml").toString(),
                    "--speed", "40", "--bad-record-every", "500", "--web-ui-port", "18081-18099", "--any-ports",
                    "--elasticsearch-home", System.getProperty("hawkeye.es.home"));
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        original.println(out);

        assertThat(exit).isZero();
        assertThat(out).contains("KAFKA=127.0.0.1:", "ELASTICSEARCH=http://127.0.0.1:", "p99 ms");
        // The service rollups of the two-tier topology made it through Kafka to the summary.
        assertThat(out).containsPattern("(?m)^\\s+web\\s+\\d{4}-\\d\\d-\\d\\dT");
        assertThat(out).containsPattern("(?m)^\\s+db\\s+\\d{4}-\\d\\d-\\d\\dT");
        assertThat(out).containsPattern("dead letters: [1-9]");
        // The injected fault on db: alerts fire and resolve, one incident whose top candidate is db, callers'
        // alerts marked as its symptoms; the alerts and the incident are in Elasticsearch too.
        assertThat(out).contains("Fault: latency on db");
        assertThat(out).containsPattern("alerts: [1-9][0-9,]* firing/updated, [1-9][0-9,]* resolved");
        assertThat(out).containsPattern("(?m)^\\s+root cause #1 db\\s");
        assertThat(out).containsPattern("caused_by\\): \\{db=[1-9]");
        assertThat(out).containsPattern("hawkeye-alerts-\\*=[1-9]");
        assertThat(out).containsPattern("hawkeye-incidents=[1-9]");

        // Everything the demo started is gone: no new child process, the stack reports stopped.
        Thread.sleep(1000);
        assertThat(descendants()).isSubsetOf(before);
        LocalStack stack = new LocalStack(home,
                MavenResolver.findRepoRoot(Path.of("").toAbsolutePath()).orElseThrow());
        assertThat(stack.status().running()).isFalse();
        assertThat(Files.exists(home)).isTrue();
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }
}
