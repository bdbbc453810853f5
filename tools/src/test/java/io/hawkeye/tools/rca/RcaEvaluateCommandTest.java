package io.hawkeye.tools.rca;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.tools.cli.CliRun;
import io.hawkeye.topology.Topology.FaultType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RcaEvaluateCommandTest {
    @TempDir
    Path dir;

    private String stdout, stderr;

    private int run(String... args) {
        CliRun r = CliRun.command(new RcaEvaluateCommand(), args);
        stdout = r.out();
        stderr = r.err();
        return r.exit();
    }

    /**
     * A network delay into {@code db} that only the edge files show: both callers spend +1 s outside db, db's own
     * latency is unchanged, and the callers' latency follows. With the edges db is first; without, it cannot be.
     */
    private Path networkDelayCase(String name, String symptom) throws IOException {
        Path c = Files.createDirectories(dir.resolve("cases").resolve(name));
        Files.writeString(c.resolve("graph.csv"), "caller,callee\ngw,a\ngw,b\na,db\nb,db\na,cache\n");
        Files.writeString(c.resolve("case.json"), "{\"root_cause\": \"db\", \"fault_type\": \"network_delay\", "
                + "\"fault_class\": \"resource\", \"symptom\": " + (symptom == null ? "null" : '"' + symptom + '"')
                + "}");
        StringBuilder n = new StringBuilder("timestamp,service,signal,value\n"), a = new StringBuilder(n);
        StringBuilder ne = new StringBuilder("timestamp,caller,callee,signal,value\n"), ae = new StringBuilder(ne);
        for (int i = 0; i < 28; i++) {
            boolean fault = i >= 20;
            StringBuilder m = fault ? a : n, e = fault ? ae : ne;
            long t = 1_700_000_000L + 60L * i;
            double w = ((i * 7919) % 13 - 6) / 6.0;
            String[][] service = {{"gw", "40"}, {"a", "30"}, {"b", "25"}, {"db", "10"}, {"cache", "2"}};
            for (String[] s : service) {
                double base = Double.parseDouble(s[1]);
                double v = base + w + (fault && !s[0].equals("db") && !s[0].equals("cache") ? 1000 : 0);
                m.append(String.format(Locale.ROOT, "%d,%s,latency_p90,%.3f%n", t, s[0], v));
            }
            for (String caller : List.of("a", "b")) {
                e.append(String.format(Locale.ROOT, "%d,%s,db,gap_p50,%.3f%n", t, caller, (fault ? 1002 : 2) + w / 5));
                e.append(String.format(Locale.ROOT, "%d,%s,db,client_latency_p50,%.3f%n", t, caller,
                        (fault ? 1012 : 12) + w / 2));
            }
            e.append(String.format(Locale.ROOT, "%d,a,cache,gap_p50,%.3f%n", t, 1 + w / 10));
        }
        Files.writeString(c.resolve("normal.csv"), n);
        Files.writeString(c.resolve("abnormal.csv"), a);
        Files.writeString(c.resolve("normal_edges.csv"), ne);
        Files.writeString(c.resolve("abnormal_edges.csv"), ae);
        return c;
    }

    @Test
    void accuracyPerGroupWithAndWithoutEdgesAndTheSymptom() throws IOException {
        networkDelayCase("delay-1", null);
        networkDelayCase("delay-2", "gw");
        Path report = dir.resolve("report.md");
        assertThat(run("--cases", dir.resolve("cases").toString(), "--output", report.toString())).isZero();
        assertThat(stderr).contains("rca-eval: 2 cases, 2 with edge files, 1 with a symptom")
                .contains("[ 1/2] delay-1").contains("rank 1");
        assertThat(stdout).contains("| fault type network_delay | 2 | 1.000 | 1.000 | 1.000 |")
                .contains("| fault class resource | 2 | 1.000 | 1.000 | 1.000 |")
                .contains("With the symptom");
        assertThat(stdout.strip().lines().reduce((x, y) -> y).orElseThrow())
                .isEqualTo("overall cases=2 ac1=1.000 ac3=1.000 avg5=1.000");
        assertThat(Files.readString(report)).contains("| delay-1 | db | network_delay | 1 | db, ");

        // Without the edge files db's own signals are flat: never first, the callers are.
        assertThat(run("--cases", dir.resolve("cases").toString(), "--no-edges")).isZero();
        assertThat(stdout).contains("overall cases=2 ac1=0.000");
    }

    @Test
    void oneCaseFolderAndTheSensitivityTable() throws IOException {
        Path c = networkDelayCase("delay", null);
        assertThat(run("--cases", c.toString(), "--sensitivity")).isZero();
        assertThat(stdout).contains("| defaults | 1.000 / 1.000 | 1.000 / 1.000 | 1.000 |")
                .contains("| evidence ×0.5 |").contains("| onset ×1.5 |");
    }

    @Test
    void simulatedCasesAreWrittenInTheCaseLayout() throws IOException {
        Path c = SimulatedCases.write(new SimulatedCases.Case("online-shop.yaml", FaultType.ERROR_BURST, "payment",
                7), Path.of("../deploy/topologies"), dir);
        RcaCase rc = RcaCase.load(c);
        assertThat(rc.rootCause()).isEqualTo("payment");
        assertThat(rc.faultType()).isEqualTo("error_burst");
        assertThat(rc.symptom()).isEqualTo("frontend");
        assertThat(rc.hasEdges()).isFalse();
        assertThat(Files.readAllLines(c.resolve("graph.csv"))).contains("checkout,payment");
        assertThat(rc.rankOfRootCause(rc.rank(new io.hawkeye.rca.RootCauseRanker(), true, null))).isEqualTo(1);
    }
}
