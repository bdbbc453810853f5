package io.hawkeye.tools.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.tools.cli.HawkeyeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimulateWindowsCommandTest {

    @Test
    void writesOneWindowRowPerServiceAndMinuteWithTheRateScaledBack(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = HawkeyeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("simulate-windows", "--topology", Path.of("..", "deploy/topologies/two-tier.yaml")
                        .toString(), "--duration", "PT20M", "--span-sample-rate", "0.5", "--start",
                "2024-01-01T00:00:00Z", "--output", dir.resolve("w").toString(), "--ground-truth",
                dir.resolve("gt.jsonl").toString());
        assertThat(code).as(out.toString()).isZero();
        List<String> web = Files.readAllLines(dir.resolve("w/web.csv"));
        assertThat(web.get(0)).isEqualTo("timestamp,count,rps,p50_ms,p99_ms,error_rate,cpu_utilization");
        assertThat(web).hasSize(21);
        assertThat(web.get(1)).startsWith("2024-01-01 00:00:00,");
        assertThat(web.get(20)).startsWith("2024-01-01 00:19:00,");
        assertThat(Files.readAllLines(dir.resolve("w/db.csv"))).hasSize(21);
        // web's entry rate is 50 rps x the daily factor at midnight (1 - 0.3 x cos(2pi (0 - 14) / 24) ≈ 0.74
        // .. 1.3); before the traffic drop (minute 12) the sampled count, scaled back, is near it.
        double rps = Double.parseDouble(web.get(2).split(",")[2]);
        assertThat(rps).isBetween(25.0, 80.0);
        double drop = Double.parseDouble(web.get(13).split(",")[2]);
        assertThat(drop).isLessThan(0.5 * rps);
        // db's latency fault (minutes 5-10, +10 ms) shows in its p50.
        List<String> db = Files.readAllLines(dir.resolve("w/db.csv"));
        assertThat(Double.parseDouble(db.get(7).split(",")[3])).isGreaterThan(
                Double.parseDouble(db.get(2).split(",")[3]) + 5);
        for (String row : web.subList(1, web.size())) assertThat(row.split(",", -1)).hasSize(7);
        assertThat(Files.readAllLines(dir.resolve("gt.jsonl"))).hasSize(2);
    }

    @Test
    void endpointSeriesAreOneSignalAFileAndAddUpToTheRollup(@TempDir Path dir) throws Exception {
        CommandLine cli = HawkeyeCli.commandLine();
        int code = cli.execute("simulate-windows", "--topology", Path.of("..", "deploy/topologies/two-tier.yaml")
                        .toString(), "--duration", "PT10M", "--span-sample-rate", "0.5", "--endpoints", "--output",
                dir.resolve("w").toString());
        assertThat(code).isZero();
        List<String> rollup = Files.readAllLines(dir.resolve("w/web.csv"));
        try (var files = Files.list(dir.resolve("w/web"))) {
            List<Path> rpsFiles = files.filter(f -> f.getFileName().toString().endsWith(".rps.csv")).toList();
            assertThat(rpsFiles).isNotEmpty();
            double sum = 0;
            long count = 0;
            for (Path f : rpsFiles) {
                List<String> rows = Files.readAllLines(f);
                assertThat(rows.get(0)).isEqualTo("timestamp,count,rps");
                String minute3 = rows.stream().filter(r -> r.startsWith("2024-01-01 00:03:00,")).findFirst()
                        .orElseThrow();
                sum += Double.parseDouble(minute3.split(",")[2]);
                count += Long.parseLong(minute3.split(",")[1]);
            }
            String[] r = rollup.get(4).split(",");
            assertThat(r[0]).isEqualTo("2024-01-01 00:03:00");
            assertThat(count).isEqualTo(Long.parseLong(r[1]));
            assertThat(sum).isCloseTo(Double.parseDouble(r[2]), org.assertj.core.data.Offset.offset(0.01 * sum));
        }
        assertThat(FaultScores.serviceOf(Path.of("web", "GET_.rps.csv"))).isEqualTo("web");
        assertThat(FaultScores.serviceOf(Path.of("web.csv"))).isEqualTo("web");
    }
}
