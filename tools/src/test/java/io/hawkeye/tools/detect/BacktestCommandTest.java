package io.hawkeye.tools.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.detect.DetectionConfig;
import io.hawkeye.jobs.detect.Scores;
import io.hawkeye.tools.cli.HawkeyeCli;
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
import java.util.Set;
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
        CommandLine cli = HawkeyeCli.commandLine();
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
        // Every injected event is labelled by its second window: an alert fires after the job's default `for` of
        // two windows, or at once on a first window as improbable as two at the false-alarm budget's threshold
        // (TailModel.budgetPolicy): the spike ×1.8, the drop to zero, the dip ×0.5 and the spike ×2; the level
        // shift ×1.4 after two windows (no look-ahead either way).
        List<Integer> atOnce = new java.util.ArrayList<>();
        for (int start : new int[] {15 * PER_DAY + 168, 16 * PER_DAY + 132, 17 * PER_DAY + 110,
            18 * PER_DAY + 200, 19 * PER_DAY + 96}) {
            assertThat(label(rows, start - 1)).as("event at row %d", start).isZero();
            if (label(rows, start) == 1) atOnce.add(start);
            assertThat(label(rows, start + 1)).as("event at row %d", start).isEqualTo(1);
        }
        assertThat(atOnce).containsExactly(15 * PER_DAY + 168, 16 * PER_DAY + 132, 17 * PER_DAY + 110, 18 * PER_DAY + 200);
        // The 03:00 batch spike is never labelled in week 3.
        for (int day = 14; day < 19; day++) {
            assertThat(label(rows, day * PER_DAY + 36)).isZero();
            assertThat(label(rows, day * PER_DAY + 37)).isZero();
        }
        assertThat(out.toString()).contains("event-wise: precision", "5/5 events detected");
    }

    @Test
    void plotsTheValueWithAlertsAndLabelsShadedAndTheScore(@TempDir Path dir) throws Exception {
        Path in = dir.resolve("series.csv");
        Files.writeString(in, synthetic(11));
        Path png = dir.resolve("chart.png");
        StringWriter out = new StringWriter();
        CommandLine cli = HawkeyeCli.commandLine();
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("backtest", "--input", in.toString(), "--output", dir.resolve("out.csv").toString(),
                "--plot", png.toString());
        assertThat(code).isZero();
        assertThat(out.toString()).contains("chart: " + png);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1600);
        assertThat(img.getHeight()).isEqualTo(470); // one series: its value and its score
        int alertShade = 0;
        int labelShade = 0;
        int scoreLine = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y += 2) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r > g + 25 && r > b + 25) alertShade++;
                if (g > r + 20 && g > b + 20) labelShade++;
                if (b > r + 60 && b > g + 20) scoreLine++;
            }
        }
        // Five labelled events, each alerting (detectsInjectedAnomaliesAndNotTheNormalPeriodicSpike): both shades
        // and the score curve are drawn.
        assertThat(alertShade).as("alerting stretches").isGreaterThan(50);
        assertThat(labelShade).as("labelled stretches").isGreaterThan(50);
        assertThat(scoreLine).as("score curve").isGreaterThan(500);
    }

    @Test
    void plotNeedsOneInputFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a.csv"), synthetic(1));
        StringWriter err = new StringWriter();
        CommandLine cli = HawkeyeCli.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("backtest", "--input", dir.toString(), "--output", dir.resolve("out").toString(),
                "--plot", dir.resolve("c.png").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1).allMatch(l -> l.contains("--plot charts one file"));
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

    /** Two correlated columns (a load and what it drives) with a relationship break late in the file. */
    static String twoColumns(long seed, int n, int breakAt) {
        Random rnd = new Random(seed);
        StringBuilder b = new StringBuilder("timestamp,load,cpu\n");
        for (int i = 0; i < n; i++) {
            double load = 100 + 40 * Math.sin(2 * Math.PI * i / 288.0) + rnd.nextGaussian() * 3;
            double cpu = 0.004 * load + rnd.nextGaussian() * 0.01;
            if (i >= breakAt && i < breakAt + 5) cpu = 0.004 * (240 - load); // high load, low CPU and vice versa
            b.append(T0 / 1000 + i * 300L).append(',').append(String.format(Locale.ROOT, "%.3f,%.4f", load, cpu))
                    .append('\n');
        }
        return b.toString();
    }

    @Test
    void multipleColumnsAddTheMultivariateDetectorsAndNeverLookAhead() throws Exception {
        String full = twoColumns(5, 2000, 1800);
        Backtest b = new Backtest(DetectionConfig.defaults(), Backtest.defaultPolicy());
        StringWriter a = new StringWriter();
        Backtest.Outcome o = b.run(new java.io.StringReader(full), a);
        List<String> rows = a.toString().lines().toList();
        assertThat(rows.get(0)).isEqualTo("timestamp,value,anomaly_score,label,score_seasonal,score_iforest,"
                + "score_relationship");
        assertThat(o.multivariate).isTrue();
        assertThat(o.columns).containsExactly("load", "cpu");
        assertThat(rows).hasSize(2001);
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            for (int k = 2; k < f.length; k++) assertThat(Double.parseDouble(f[k])).isBetween(0.0, 1.0);
            // anomaly_score is the largest detector score
            double max = Math.max(Double.parseDouble(f[4]), Math.max(Double.parseDouble(f[5]),
                    Double.parseDouble(f[6])));
            assertThat(Double.parseDouble(f[2])).isEqualTo(max);
        }
        // value = the first numeric column, as in the input
        assertThat(rows.get(1).split(",")[1]).isEqualTo(full.lines().skip(1).findFirst().orElseThrow().split(",")[1]);
        // The break (both marginals in range) is caught by the relationship detector and labelled.
        double relationship = 0;
        for (int i = 1800; i < 1805; i++) relationship = Math.max(relationship, Double.parseDouble(
                rows.get(i + 1).split(",")[6]));
        assertThat(relationship).isGreaterThanOrEqualTo(0.9);
        assertThat(o.predicted.subList(1800, 1805)).contains(true);
        // No look-ahead: a prefix of the file gives a prefix of the output.
        String prefix = String.join("\n", full.lines().limit(1501).toList()) + "\n";
        StringWriter c = new StringWriter();
        b.run(new java.io.StringReader(prefix), c);
        assertThat(a.toString()).startsWith(c.toString());
    }

    @Test
    void aValueColumnIsTheSeriesAndOtherNumericColumnsAreNotScored() throws Exception {
        // Yahoo Webscope A3/A4 layout: the generator's components beside the value. Its noise column alone would
        // alert (a spike at row 300); the value column is smooth.
        StringBuilder in = new StringBuilder("timestamps,value,anomaly,changepoint,trend,noise\n");
        Random rnd = new Random(4);
        for (int i = 0; i < 600; i++) {
            double noise = i == 300 ? 50 : rnd.nextGaussian();
            in.append(T0 / 1000 + i * 3600L).append(',').append(String.format(Locale.ROOT, "%.3f", 100 + rnd.nextGaussian()))
                    .append(",0,").append(i == 300 ? 1 : 0).append(',').append(i).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", noise)).append('\n');
        }
        StringWriter out = new StringWriter();
        Backtest.Outcome o = new Backtest(DetectionConfig.defaults(), Backtest.defaultPolicy())
                .run(new java.io.StringReader(in.toString()), out);
        assertThat(o.columns).containsExactly("value");
        assertThat(o.multivariate).isFalse();
        assertThat(o.hasTruth).isTrue();
        assertThat(o.predicted.subList(295, 305)).containsOnly(false);
        assertThat(out.toString().lines().findFirst().orElseThrow())
                .isEqualTo("timestamp,value,anomaly_score,label,score_seasonal");
    }

    @Test
    void emptyRpsCellIsScoredAsNoTrafficLikeTheJobsAbsenceTimer() throws Exception {
        StringBuilder in = new StringBuilder("timestamp,rps\n");
        Random rnd = new Random(2);
        for (int i = 0; i < 400; i++) {
            String v = i >= 300 && i < 305 ? "" : String.format(Locale.ROOT, "%.2f", 50 + rnd.nextGaussian());
            in.append(FMT.format(Instant.ofEpochMilli(T0 + i * 60_000L))).append(',').append(v).append('\n');
        }
        StringWriter out = new StringWriter();
        Backtest.Outcome o = new Backtest(DetectionConfig.defaults(), Backtest.defaultPolicy())
                .run(new java.io.StringReader(in.toString()), out);
        assertThat(o.predicted.subList(300, 305)).containsOnly(true);
        assertThat(o.predicted.subList(250, 300)).containsOnly(false);
        // No traffic where ~50 rps are expected: far out in the tail (p ≈ 1e-144), score 0.994 — ranked, not tied at 1.
        assertThat(out.toString().lines().skip(301).findFirst().orElseThrow()).contains(",0.993766,1,");
    }

    @Test
    void columnsAreModelledLikeTheJobsSignalsOfTheSameName() {
        assertThat(Backtest.specFor("p99_ms").alertOn).isEqualTo(io.hawkeye.detect.SignalSpec.Direction.UP);
        assertThat(Backtest.specFor("rps").alertOn).isEqualTo(io.hawkeye.detect.SignalSpec.Direction.DOWN);
        assertThat(Backtest.specFor("cpu_utilization").minSpread).isEqualTo(0.002);
        assertThat(Backtest.specFor("value").alertOn).isEqualTo(io.hawkeye.detect.SignalSpec.Direction.BOTH);
    }

    @Test
    void groundTruthScoresPerFaultType() {
        long m = 60_000L;
        int b = 2 * 1440; // after the 2-day warm-up
        FaultScores.Fault lat = new FaultScores.Fault("latency", "db", T0 + (b + 100) * m, T0 + (b + 110) * m,
                java.util.Set.of("db", "web"));
        FaultScores.Fault drop = new FaultScores.Fault("traffic_drop", "web", T0 + (b + 200) * m,
                T0 + (b + 210) * m, java.util.Set.of("web", "db"));
        FaultScores scores = new FaultScores(List.of(lat, drop));
        // web: fires at minutes 101-104 (latency), 150 (false) and 212 (the drop, within its grace of 3 windows),
        // and once in the warm-up (not counted)
        scores.add("web", outcome(b + 300, Set.of(50, b + 101, b + 102, b + 103, b + 104, b + 150, b + 212)));
        // db: fires at 100 (latency, delay 0); cache: fires during the latency fault but is off its path (false)
        scores.add("db", outcome(b + 300, Set.of(b + 100)));
        scores.add("cache", outcome(b + 300, Set.of(b + 105)));
        String r = scores.report();
        System.out.println(r);
        assertThat(r).contains("fault latency: 1/1 detected, recall 1.000, precision 0.500 (2 true alert events), "
                + "F1 0.667, detection delay (windows) median 0, max 0");
        assertThat(r).contains("fault traffic_drop: 1/1 detected, recall 1.000, precision 0.333 (1 true alert "
                + "events), F1 0.500, detection delay (windows) median 12");
        assertThat(r).contains("false alerts after the 2-day warm-up: 2 over 3 services x 0.21 days");
        assertThat(r).contains("during the warm-up: 1");
    }

    static Backtest.Outcome outcome(int n, Set<Integer> firing) {
        Backtest.Outcome o = new Backtest.Outcome();
        for (int i = 0; i < n; i++) {
            o.timestamps.add(T0 + i * 60_000L);
            o.predicted.add(firing.contains(i));
            o.series.add("");
            o.rows++;
        }
        return o;
    }

    static int label(List<String> rows, int i) {
        return Integer.parseInt(rows.get(i + 1).split(",")[3]);
    }
}
