package io.hawkeye.tools.rca;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.tools.cli.CliRun;
import io.hawkeye.tools.csv.CsvLine;
import io.hawkeye.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RcaCommandTest {
    @TempDir
    Path dir;

    private String stdout;

    private int run(String... args) {
        CliRun r = CliRun.command(new RcaCommand(), args);
        stdout = r.out();
        return r.exit();
    }

    /** Long CSV for a list of (service, signal, mean, sd, shift) with epoch-second or RFC 3339 timestamps. */
    private void writeMetrics(Path normal, Path abnormal, boolean rfc3339, Object[][] specs) throws IOException {
        Random rnd = new Random(7);
        StringBuilder n = new StringBuilder("timestamp,service,signal,value\n");
        StringBuilder a = new StringBuilder("service,signal,timestamp,value\n"); // other column order
        long t0 = 1_700_000_000L;
        for (int i = 0; i < 80; i++) {
            long ts = t0 + 60L * i;
            String time = rfc3339 ? Instant.ofEpochSecond(ts).toString() : Long.toString(ts);
            for (Object[] s : specs) {
                double v = (double) s[2] + (double) s[3] * rnd.nextGaussian() + (i >= 62 ? (double) s[4] : 0);
                String value = i % 17 == 5 ? "" : i % 19 == 3 ? "NaN" : String.format(Locale.ROOT, "%.5f", v);
                if (i < 60) n.append(time).append(',').append(s[0]).append(',').append(s[1]).append(',')
                        .append(value).append('\n');
                else a.append(s[0]).append(',').append(s[1]).append(',').append(time).append(',').append(value)
                        .append('\n');
            }
        }
        Files.writeString(normal, n);
        Files.writeString(abnormal, a);
    }

    /** A chain A → B → C whose leaf C slows down (its callers inherit it), and D without edges or data. */
    private Path writeChain() throws IOException {
        Path graph = dir.resolve("graph.csv");
        Files.writeString(graph, "caller,callee\nA,B\nB,C\nD,\n");
        writeMetrics(dir.resolve("n.csv"), dir.resolve("a.csv"), false, new Object[][] {
            {"A", "latency_p99", 40.0, 0.5, 25.0}, {"B", "latency_p99", 25.0, 0.7, 25.0},
            {"C", "latency_p99", 10.0, 1.0, 25.0}, {"A", "rps", 100.0, 3.0, 0.0}, {"C", "rps", 100.0, 3.0, 0.0}});
        return graph;
    }

    /** The arguments of {@code rca} on the chain {@link #writeChain} wrote, then {@code more}. */
    private String[] onChain(String... more) {
        return Stream.concat(Stream.of("--graph", dir.resolve("graph.csv").toString(), "--normal",
                dir.resolve("n.csv").toString(), "--abnormal", dir.resolve("a.csv").toString()), Stream.of(more))
                .toArray(String[]::new);
    }

    @Test
    void chainFromCsvGraphRanksTheFaultyLeafFirstAndWritesEveryService() throws IOException {
        writeChain();
        Path out = dir.resolve("out.csv");
        assertThat(run(onChain("--output", out.toString()))).isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("rank,service,score,explanation");
        assertThat(readRanking(out)).containsExactly("C", "B", "A", "D");
        assertThat(lines.get(4)).isEqualTo("4,D,0.000000,no data");
        assertThat(stdout).contains("1    C");
    }

    /**
     * The chart: the top cause's box is the reddest (filled with the top score's red), the callers it explains
     * lighter; the image is the stated size and a missing directory is one line and exit 2.
     */
    @Test
    void plotDrawsTheGraphWithTheTopCauseInRed() throws IOException {
        writeChain();
        Path png = dir.resolve("rca.png");
        assertThat(run(onChain("--plot", png.toString()))).isZero();
        assertThat(stdout).contains("chart: " + png);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(RcaChart.WIDTH);
        assertThat(img.getHeight()).isEqualTo(RcaChart.HEIGHT);
        // Layers: A (entry) left, B, then C right; D alone at the left. The reddest pixels are in C's column.
        int reddestX = -1, reddest = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(x, y), r = (rgb >> 16) & 0xff, gr = (rgb >> 8) & 0xff;
                if (r - gr > reddest) {
                    reddest = r - gr;
                    reddestX = x;
                }
            }
        }
        assertThat(reddest).as("a red box").isGreaterThan(120);
        assertThat(reddestX).as("in the right-hand (callee) column").isGreaterThan(img.getWidth() * 2 / 3);
        assertThat(run(onChain("--plot", dir.resolve("no/such.png").toString()))).isEqualTo(2);
    }

    @Test
    void fanInFromPlainYamlRanksTheDatabaseFirst() throws IOException {
        Path graph = dir.resolve("graph.yaml");
        Files.writeString(graph, """
                services: [web, orders, users, db, cache]
                edges:
                  - {caller: web, callee: orders}
                  - {caller: web, callee: users}
                  - {caller: orders, callee: db}
                  - {caller: users, callee: db}
                  - {caller: users, callee: cache}
                """);
        writeMetrics(dir.resolve("n.csv"), dir.resolve("a.csv"), true, new Object[][] {
            {"web", "latency_mean", 50.0, 2.0, 30.0}, {"orders", "latency_mean", 20.0, 1.0, 30.0},
            {"users", "latency_mean", 15.0, 1.0, 20.0}, {"db", "latency_mean", 4.0, 0.4, 10.0},
            {"db", "cpu_utilization", 0.4, 0.03, 0.3}, {"cache", "latency_mean", 1.0, 0.1, 0.0}});
        Path out = dir.resolve("out.csv");
        assertThat(run("--graph", graph.toString(), "--normal", dir.resolve("n.csv").toString(),
                "--abnormal", dir.resolve("a.csv").toString(), "--symptom", "web", "--output", out.toString()))
                .isZero();
        assertThat(readRanking(out).get(0)).isEqualTo("db");
    }

    @Test
    void badInputIsReportedWithExitCode2() throws IOException {
        Path graph = dir.resolve("g.csv");
        Files.writeString(graph, "from,to\na,b\n");
        Files.writeString(dir.resolve("n.csv"), "timestamp,service,signal,value\n");
        assertThat(run("--graph", graph.toString(), "--normal", dir.resolve("n.csv").toString(),
                "--abnormal", dir.resolve("n.csv").toString())).isEqualTo(2);
    }

    @Test
    void simulatedDatabaseLatencyFaultIsRankedFirst() throws IOException {
        Path c = SimulatedCases.write(new SimulatedCases.Case("online-shop.yaml", Topology.FaultType.LATENCY,
                "postgres", 11), Path.of("../deploy/topologies"), dir);
        Path out = dir.resolve("out.csv");
        assertThat(run("--graph", c.resolve("graph.csv").toString(), "--normal",
                c.resolve("normal.csv").toString(), "--abnormal", c.resolve("abnormal.csv").toString(),
                "--output", out.toString())).isZero();
        System.out.println(stdout);
        assertThat(readRanking(out).get(0)).isEqualTo("postgres");
    }

    private static List<String> readRanking(Path out) throws IOException {
        List<String> lines = Files.readAllLines(out);
        return lines.subList(1, lines.size()).stream().map(l -> CsvLine.split(l).get(1)).toList();
    }
}
