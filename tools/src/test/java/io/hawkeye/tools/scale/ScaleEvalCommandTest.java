package io.hawkeye.tools.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.tools.cli.HawkeyeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code scale-eval} end to end on a small synthetic trace: a flat load with an unannounced step up. */
class ScaleEvalCommandTest {
    static final Pattern LAST = Pattern.compile("overall violation_min_predictive=(\\d+) violation_min_hpa=(\\d+)"
            + " fewer_pct=(-?\\d+\\.\\d) replica_min_diff_pct=(-?\\d+\\.\\d)");

    @TempDir
    Path dir;

    @Test
    void stepUpGivesTheHpaViolationMinutesWhileItsPodsStart() throws Exception {
        // Two days at 1-minute resolution: 100 (± a small deterministic wiggle), on day 2 at 12:00 a step to 300 for
        // two hours. p95 = the flat level, so --replicas-at-p95 4 puts the step at 3 × 4 = 12 replicas' worth.
        long t0 = Instant.parse("2026-01-05T00:00:00Z").getEpochSecond();
        StringBuilder csv = new StringBuilder("timestamp,value,label\n");
        for (int m = 0; m < 2880; m++) {
            if (m % 97 == 13) continue; // gaps
            double v = 100 + 3 * Math.sin(m / 7.0);
            if (m >= 1440 + 720 && m < 1440 + 840) v *= 3;
            csv.append(t0 + m * 60L).append(',').append(v).append(",0\n");
        }
        Path trace = Files.writeString(dir.resolve("step.csv"), csv);
        Path png = dir.resolve("out.png");
        Path md = dir.resolve("report.md");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = HawkeyeCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute("scale-eval", "--trace", trace.toString(), "--replicas-at-p95", "4", "--startup", "5m",
                "--plot", png.toString(), "--output", md.toString());
        assertThat(exit).as(err.toString()).isZero();
        List<String> lines = out.toString().lines().toList();
        Matcher m = LAST.matcher(lines.get(lines.size() - 1));
        assertThat(m.matches()).as(lines.get(lines.size() - 1)).isTrue();
        long vp = Long.parseLong(m.group(1));
        long vh = Long.parseLong(m.group(2));
        double diff = Double.parseDouble(m.group(4));
        // The HPA sees the step one minute late and its new pods serve 5 minutes later: several violation minutes.
        assertThat(vh).isBetween(5L, 30L);
        // The step is not predictable either; the planner reacts to the observed rate, not to saturated CPU.
        assertThat(vp).isLessThanOrEqualTo(vh);
        // It pays for it in replicas (the start-up of pods that serve after the step, a forecaster level that the
        // step raised for a few hours).
        assertThat(diff).isBetween(0.0, 60.0);
        assertThat(out.toString()).contains("| 2 | 2026-01-06 00:00 | 1440 |", "step PT1M", "gaps interpolated");
        assertThat(Files.readString(md)).contains("| **all** |");
        byte[] head = Files.readAllBytes(png);
        assertThat(head.length).isGreaterThan(10_000);
        assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }
}
