package io.hawkeye.tools.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hawkeye.tools.cli.CliRun;
import io.hawkeye.tools.detect.EventEvaluation.Match;
import io.hawkeye.tools.detect.EventEvaluation.Segment;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
    static final long T0 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    static final DateTimeFormatter FMT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** NAB's scaled sigmoid, written out: 2/(1 + e^(5y)) − 1. */
    static double sigma(double y) {
        return 2 / (1 + Math.exp(5 * y)) - 1;
    }

    static BitSet rows(int... ranges) {
        BitSet b = new BitSet();
        for (int i = 0; i < ranges.length; i += 2) b.set(ranges[i], ranges[i + 1] + 1);
        return b;
    }

    @Test
    void onsetsMatchSegmentsOnceWithALeadAndNoPointAdjustment() {
        // 100 rows, segments 20..29 and 60..64, lead 5. Alerts: 17..19 (in the lead of the first: early),
        // 22..23 (a second onset in the detected segment: a repeat), 45..46 (a false alarm); the second missed.
        List<Segment> segments = List.of(new Segment(20, 29), new Segment(60, 64));
        Match m = EventEvaluation.match(segments, rows(17, 19, 22, 23, 45, 46), 0, 100, 5);
        assertThat(m.onsets).isEqualTo(3);
        assertThat(m.detected).isEqualTo(1);
        assertThat(m.repeats).isEqualTo(1);
        assertThat(m.falseAlarms).isEqualTo(1);
        assertThat(m.detectingOnset).containsExactly(17, -1);
        assertThat(m.delays).containsExactly(-3);
        // window 15..29 (15 rows), onset 17: y = −(29 − 17 + 1)/15
        assertThat(m.nabRaw).isCloseTo(sigma(-13.0 / 15) - 0.11 - 1, within(1e-12));
        assertThat(EventEvaluation.pointsOutside(segments, 0, 100)).isEqualTo(85);
        assertThat(EventEvaluation.normalised(m.nabRaw, EventEvaluation.nabNull(2), EventEvaluation.nabPerfect(2)))
                .isCloseTo(100 * (sigma(-13.0 / 15) - 0.11 - 1 + 2) / (2 * sigma(-1) + 2), within(1e-9));
        // perfect: each window's first row; never firing: 0
        Match perfect = EventEvaluation.match(segments, rows(15, 15, 55, 55), 0, 100, 5);
        assertThat(EventEvaluation.normalised(perfect.nabRaw, -2, EventEvaluation.nabPerfect(2))).isEqualTo(100.0);
        Match none = EventEvaluation.match(segments, new BitSet(), 0, 100, 5);
        assertThat(EventEvaluation.normalised(none.nabRaw, -2, EventEvaluation.nabPerfect(2))).isEqualTo(0.0);
        // an alert already firing when scoring starts is no onset; a segment reaching into the warm-up is dropped
        assertThat(EventEvaluation.match(segments, rows(10, 12), 11, 100, 5).onsets).isZero();
        assertThat(EventEvaluation.firstRow(segments, 25)).isEqualTo(30);
        assertThat(EventEvaluation.median(List.of(4, -3, 2, 9))).isEqualTo(3.0);
    }

    /**
     * 500 five-minute rows of seeded noise (100 ± 1); spikes of +50 at rows 200..202 (unlabelled) and 300..302;
     * labelled segments 303..310 and 400..405 (nothing there).
     */
    static String tinyCase() {
        Random rnd = new Random(7);
        StringBuilder b = new StringBuilder("timestamp,value,label\n");
        for (int i = 0; i < 500; i++) {
            double v = 100 + rnd.nextGaussian();
            if ((i >= 200 && i <= 202) || (i >= 300 && i <= 302)) v += 50;
            int label = (i >= 303 && i <= 310) || (i >= 400 && i <= 405) ? 1 : 0;
            b.append(FMT.format(Instant.ofEpochMilli(T0 + i * 300_000L))).append(',')
                    .append(String.format(Locale.ROOT, "%.3f", v)).append(',').append(label).append('\n');
        }
        return b.toString();
    }

    static Map<String, String> summary(String stdout) {
        String[] lines = stdout.strip().split("\n");
        String last = lines[lines.length - 1];
        assertThat(last).startsWith("overall files=");
        Map<String, String> m = new HashMap<>();
        for (String kv : last.substring("overall ".length()).split(" ")) {
            String[] p = kv.split("=", 2);
            m.put(p[0], p[1]);
        }
        return m;
    }

    @Test
    void oneSegmentDetectedEarlyOneMissedOneFalseAlarm(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("tiny.csv"), tinyCase());
        Path report = dir.resolve("report.csv");
        CliRun r = CliRun.hawkeye("evaluate", "--dataset", dir.toString(), "--output", report.toString());
        System.out.println(r.out());
        assertThat(r.exit()).isZero();
        Map<String, String> s = summary(r.out());
        // --for 2, but a +50 σ row alone is as improbable as two rows at the false-alarm budget's threshold, so each
        // spike's alert starts on its first row: 200 (false alarm), 300 (3 rows before 303, within the lead of 5:
        // detects the first segment, delay −3); the second segment is missed.
        assertThat(s).containsEntry("files", "1").containsEntry("segments", "2").containsEntry("detected", "1")
                .containsEntry("onsets", "2").containsEntry("false_alarms", "1").containsEntry("precision", "0.500")
                .containsEntry("recall", "0.500").containsEntry("f1", "0.500").containsEntry("delay_median", "-3.0");
        // 1 false alarm over 500 − 8 − 6 rows outside the segments
        assertThat(s.get("fa_per_1k")).isEqualTo(String.format(Locale.ROOT, "%.3f", 1000.0 / 486));
        // six rows at +50 σ: before the tail model they scored 1 (saturated, 0.012 of 500 rows); now they rank below
        // the maximum (the series' tail: p far below the budget, not 0)
        assertThat(s.get("max_score_share")).isEqualTo("0.000");
        // alerts fire on rows 200..202 and 300..302: 6 of 500
        assertThat(s.get("alert_share")).isEqualTo("0.012");
        // window 298..310 (13 rows), onset 300: y = −11/13; one false alarm (−0.11), one miss (−1)
        double nab = 100 * (sigma(-11.0 / 13) - 0.11 - 1 + 2) / (2 * sigma(-1) + 2);
        // the sweep's lifecycles (a fixed fire score for every detector, for = 2) start on the second rows: 301
        double nabSweep = 100 * (sigma(-10.0 / 13) - 0.11 - 1 + 2) / (2 * sigma(-1) + 2);
        assertThat(s.get("nab_score")).isEqualTo(String.format(Locale.ROOT, "%.1f", nab));
        List<String> csv = Files.readAllLines(report);
        assertThat(csv.get(0)).startsWith("file,points,segments,detected,onsets,false_alarms,repeats,precision");
        assertThat(csv.get(1)).startsWith("tiny.csv,500,2,1,2,1,0,0.500,0.500,0.500,");
        assertThat(csv.get(2)).startsWith("overall,500,2,1,2,1,0,0.500,0.500,0.500,");
        assertThat(r.out()).contains("| 0.9 | 2 | 1 | 0.500 | 0.500 | " + String.format(Locale.ROOT, "%.1f", nabSweep) + " |");
    }

    /** SMD layout: gzip, m0..m2 plus label and split; train rows are the warm-up; interpretation labels. */
    @Test
    void smdLayoutScoresTestRowsOnlyAndChecksAttribution(@TempDir Path dir) throws Exception {
        int train = 1600;
        int test = 400;
        Random rnd = new Random(11);
        StringBuilder b = new StringBuilder("timestamp,m0,m1,m2,label,split\n");
        for (int i = 0; i < train + test; i++) {
            double[] m = {0.5 + 0.01 * rnd.nextGaussian(), 0.3 + 0.01 * rnd.nextGaussian(),
                0.2 + 0.01 * rnd.nextGaussian()};
            int t = i - train;
            if (t >= 100 && t < 110) m[1] += 0.5; // labelled test rows 100..109, metric m1
            b.append(FMT.format(Instant.ofEpochMilli(T0 + i * 60_000L)));
            for (double v : m) b.append(',').append(String.format(Locale.ROOT, "%.6f", v));
            b.append(',').append(t >= 100 && t < 110 ? 1 : 0).append(',').append(i < train ? "train" : "test")
                    .append('\n');
        }
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(dir.resolve("machine-9-9.csv.gz")))) {
            o.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        Files.writeString(dir.resolve("interpretation_labels.csv"),
                "machine,test_row_start,test_row_end,timestamp_start,timestamp_end,metrics\n"
                        + "machine-9-9,100,110,x,y,m1\n");
        CliRun r = CliRun.hawkeye("evaluate", "--dataset", dir.toString());
        System.out.println(r.out());
        assertThat(r.exit()).isZero();
        Map<String, String> s = summary(r.out());
        assertThat(s).containsEntry("segments", "1").containsEntry("detected", "1")
                .containsEntry("attributed", "1").containsEntry("hit_at_k", "1.000").containsEntry("hit_at_3", "1.000");
        assertThat(r.out()).contains("| machine-9-9.csv.gz | " + test + " |");
    }

    @Test
    void badInputIsOneLineAndExitCode2(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.hawkeye("evaluate", "--dataset", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("hawkeye evaluate: no such directory: " + dir.resolve("nope"));

        CliRun empty = CliRun.hawkeye("evaluate", "--dataset", dir.toString());
        assertThat(empty.exit()).isEqualTo(2);
        assertThat(empty.err().strip()).startsWith("hawkeye evaluate: no labelled CSV").doesNotContain("\n");

        Files.writeString(dir.resolve("bad.csv"), "timestamp,value\n2024-01-01 00:00:00,1\n");
        CliRun bad = CliRun.hawkeye("evaluate", "--dataset", dir.toString());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip()).startsWith("hawkeye evaluate: bad.csv: bad header 'timestamp,value': no label column")
                .doesNotContain("\n").doesNotContain("Exception");
    }

    /** The labelled development data, when this machine has it (a user's clone does not). */
    @Test
    void runsOnTheSharedKpiDatasetWhenPresent() {
        Path kpi = Path.of("/work/shared/datasets/aiops2018_kpi");
        assumeTrue(Files.isDirectory(kpi), "no " + kpi);
        CliRun r = CliRun.hawkeye("evaluate", "--dataset", kpi.toString());
        assertThat(r.exit()).isZero();
        Map<String, String> s = summary(r.out());
        assertThat(s).containsEntry("files", "9").containsEntry("segments", "151");
    }
}
