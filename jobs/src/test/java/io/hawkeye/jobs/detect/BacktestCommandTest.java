package io.hawkeye.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.cli.HawkeyeCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BacktestCommandTest {
    static final long T0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    static final int PER_DAY = 288;
    static final DateTimeFormatter FMT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * 21 days at 5-minute resolution: a daily and weekly rhythm, a normal 10-minute batch spike at 03:00 every
     * day, noise; in week 3: a spike, a drop to zero, a dip, a level shift (labelled for 30 windows).
     */
    static String synthetic(long seed) {
        int n = 21 * PER_DAY;
        double[] v = new double[n];
        int[] label = new int[n];
        Random rnd = new Random(seed);
        for (int i = 0; i < n; i++) {
            double tod = (i % PER_DAY) / (double) PER_DAY;
            int dow = (i / PER_DAY) % 7;
            double base = 100 + 60 * Math.sin(2 * Math.PI * (tod - 0.25)) * (dow >= 5 ? 0.5 : 1.0);
            int minute = (i % PER_DAY) * 5;
            if (minute >= 180 && minute < 190) base *= 2;
            v[i] = base + rnd.nextGaussian() * 4;
        }
        inject(v, label, 15 * PER_DAY + 168, 3, 1.8);
        inject(v, label, 16 * PER_DAY + 132, 6, 0.0);
        inject(v, label, 17 * PER_DAY + 110, 4, 0.5);
        inject(v, label, 18 * PER_DAY + 200, 2, 2.0);
        for (int i = 19 * PER_DAY + 96; i < n; i++) v[i] *= 1.4;
        for (int i = 19 * PER_DAY + 96; i < 19 * PER_DAY + 126; i++) label[i] = 1;
        StringBuilder b = new StringBuilder("timestamp,value,label\n");
        for (int i = 0; i < n; i++) {
            b.append(FMT.format(Instant.ofEpochMilli(T0 + i * 300_000L))).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", v[i])).append(',').append(label[i]).append('\n');
        }
        return b.toString();
    }

    static void inject(double[] v, int[] label, int start, int len, double factor) {
        for (int i = start; i < start + len; i++) {
            v[i] *= factor;
            label[i] = 1;
        }
    }

    @Test
    void detectsInjectedAnomaliesAndNotTheNormalPeriodicSpike(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("in/sub/series.csv");
        Files.createDirectories(in.getParent());
        Files.writeString(in, synthetic(11));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new HawkeyeCli());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("backtest", "--input", dir.resolve("in").toString(), "--output",
                dir.resolve("out").toString());
        System.out.println(out);
        assertThat(code).isZero();
        List<String> rows = Files.readAllLines(dir.resolve("out/sub/series.csv"));
        assertThat(rows.get(0)).isEqualTo("timestamp,value,anomaly_score,label,score_seasonal");
        assertThat(rows).hasSize(21 * PER_DAY + 1);
        List<String> input = Files.readAllLines(in);
        for (int i = 1; i < rows.size(); i += 997) {
            assertThat(rows.get(i).split(",")[0]).isEqualTo(input.get(i).split(",")[0]);
        }
        // Every injected event is labelled at its first window.
        for (int start : new int[] {15 * PER_DAY + 168, 16 * PER_DAY + 132, 17 * PER_DAY + 110,
            18 * PER_DAY + 200, 19 * PER_DAY + 96}) {
            assertThat(label(rows, start)).as("event at row %d", start).isEqualTo(1);
        }
        // The 03:00 batch spike is never labelled in week 3.
        for (int day = 14; day < 19; day++) {
            assertThat(label(rows, day * PER_DAY + 36)).isZero();
            assertThat(label(rows, day * PER_DAY + 37)).isZero();
        }
        assertThat(out.toString()).contains("event-wise: precision", "5/5 events detected");
    }

    @Test
    void scoresNeverLookAhead(@TempDir Path dir) throws Exception {
        String full = synthetic(3);
        String[] lines = full.split("\n");
        String prefix = String.join("\n", java.util.Arrays.copyOf(lines, 3001)) + "\n";
        Backtest b = new Backtest(io.hawkeye.detect.SeasonalConfig.defaults(), Backtest.defaultPolicy());
        StringWriter a = new StringWriter();
        StringWriter c = new StringWriter();
        b.run(new java.io.StringReader(full), a);
        b.run(new java.io.StringReader(prefix), c);
        assertThat(a.toString()).startsWith(c.toString());
    }

    @Test
    void parsesTimestampForms() {
        long t = Instant.parse("2024-03-01T12:30:00Z").toEpochMilli();
        assertThat(Backtest.parseTime("2024-03-01 12:30:00")).isEqualTo(t);
        assertThat(Backtest.parseTime("2024-03-01 12:30:00.000000")).isEqualTo(t);
        assertThat(Backtest.parseTime("2024-03-01T12:30:00Z")).isEqualTo(t);
        assertThat(Backtest.parseTime("2024-03-01T14:30:00+02:00")).isEqualTo(t);
        assertThat(Backtest.parseTime(String.valueOf(t / 1000))).isEqualTo(t);
        assertThat(Backtest.parseTime(String.valueOf(t))).isEqualTo(t);
    }

    @Test
    void eventWiseScores() {
        List<Boolean> truth = List.of(false, true, true, false, false, true, false, false);
        List<Boolean> pred = List.of(false, false, true, false, true, false, false, false);
        Scores s = Scores.of(pred, truth);
        assertThat(s.tp()).isEqualTo(1);
        assertThat(s.fp()).isEqualTo(1);
        assertThat(s.fn()).isEqualTo(2);
        assertThat(s.eventRecall()).isEqualTo(0.5);
        assertThat(s.eventPrecision()).isEqualTo(0.5);
    }

    static int label(List<String> rows, int i) {
        return Integer.parseInt(rows.get(i + 1).split(",")[3]);
    }
}
