package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.AlertLifecycle;
import io.hawkeye.alerts.LifecyclePolicy;
import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.DetectionResult;
import io.hawkeye.detect.SeasonalConfig;
import io.hawkeye.detect.SeasonalDetector;
import io.hawkeye.detect.SeasonalState;
import io.hawkeye.detect.SignalSpec;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Offline run of the streaming detectors over one CSV file, row by row in file order: each row is scored with
 * the state built from earlier rows only (no look-ahead), by the same {@link SeasonalDetector} and
 * {@link AlertLifecycle} code the Flink job uses.
 *
 * <p>Input: a header row; a {@code timestamp} column (or {@code time}/{@code ts}/{@code date}/the first column)
 * holding {@code YYYY-MM-DD HH:MM:SS[.ffffff]}, RFC 3339, a date, or epoch seconds/milliseconds (numbers below
 * 10^11 are seconds); one or more numeric columns, each run through its own detector; optionally a
 * {@code series} column (one detector set per distinct value) and a ground-truth column {@code label},
 * {@code is_anomaly} or {@code anomaly} (0/1; never shown to the detectors; used for precision/recall).
 *
 * <p>Output: the same rows in the same order with {@code timestamp,value,anomaly_score,label,score_seasonal}
 * (plus {@code series} when present). {@code value} is the column named {@code value}, else the first numeric
 * column; {@code anomaly_score} is the maximum over the numeric columns; {@code label} is 1 where the alert
 * lifecycle is firing.
 */
public final class Backtest {
    private static final String[] TIME_NAMES = {"timestamp", "time", "ts", "datetime", "date"};
    private static final String[] LABEL_NAMES = {"label", "is_anomaly", "anomaly"};

    private final SeasonalConfig config;
    private final LifecyclePolicy policy;

    public Backtest(SeasonalConfig config, LifecyclePolicy policy) {
        this.config = config;
        this.policy = policy;
    }

    /** Backtest default lifecycle: fire at score ≥ 0.9 on the first window, stay while ≥ 0.7, resolve at once. */
    public static LifecyclePolicy defaultPolicy() {
        return new LifecyclePolicy(0.9, 0.7, 1, 1, 1);
    }

    /** Per-file outcome: predictions and (when the input has labels) the ground truth, row by row. */
    public static final class Outcome {
        public final List<Boolean> predicted = new ArrayList<>();
        public final List<Boolean> truth = new ArrayList<>();
        public boolean hasTruth;
        public int rows;
        public int skipped;
    }

    private static final class Series {
        final SeasonalState[] states;
        final LifecycleState life = new LifecycleState();

        Series(int columns) {
            states = new SeasonalState[columns];
            for (int i = 0; i < columns; i++) states[i] = new SeasonalState();
        }
    }

    public Outcome run(Reader in, Writer out) throws IOException {
        BufferedReader r = new BufferedReader(in);
        BufferedWriter w = new BufferedWriter(out);
        String header = r.readLine();
        if (header == null) throw new IllegalArgumentException("empty file: no header row");
        if (header.startsWith("\uFEFF")) header = header.substring(1);
        String[] cols = split(header);
        int timeCol = -1;
        int seriesCol = -1;
        int labelCol = -1;
        for (int i = 0; i < cols.length; i++) {
            String c = cols[i].trim().toLowerCase(Locale.ROOT);
            if (timeCol < 0 && List.of(TIME_NAMES).contains(c)) timeCol = i;
            if (c.equals("series")) seriesCol = i;
            if (labelCol < 0 && List.of(LABEL_NAMES).contains(c)) labelCol = i;
        }
        if (timeCol < 0) timeCol = 0;
        List<Integer> valueCols = new ArrayList<>();
        int valueCol = -1;
        for (int i = 0; i < cols.length; i++) {
            if (i == timeCol || i == seriesCol || i == labelCol) continue;
            valueCols.add(i);
            if (cols[i].trim().equalsIgnoreCase("value")) valueCol = i;
        }
        if (valueCols.isEmpty()) throw new IllegalArgumentException("no value column in header: " + header);
        if (valueCol < 0) valueCol = valueCols.get(0);
        SeasonalDetector detector = new SeasonalDetector(config, SignalSpec.generic());
        Map<String, Series> series = new HashMap<>();
        Outcome o = new Outcome();
        o.hasTruth = labelCol >= 0;
        w.write(seriesCol >= 0 ? "timestamp,series,value,anomaly_score,label,score_seasonal\n"
                : "timestamp,value,anomaly_score,label,score_seasonal\n");
        String line;
        while ((line = r.readLine()) != null) {
            if (line.isBlank()) continue;
            String[] f = split(line);
            o.rows++;
            String tsText = field(f, timeCol);
            String key = seriesCol >= 0 ? field(f, seriesCol) : "";
            Series s = series.computeIfAbsent(key, k -> new Series(valueCols.size()));
            double score = 0;
            long ts;
            try {
                ts = parseTime(tsText);
            } catch (RuntimeException e) {
                ts = Long.MIN_VALUE;
            }
            if (ts == Long.MIN_VALUE) {
                o.skipped++;
            } else {
                for (int k = 0; k < valueCols.size(); k++) {
                    double v = parseDouble(field(f, valueCols.get(k)));
                    DetectionResult res = detector.update(s.states[k], ts, v);
                    if (res != null) score = Math.max(score, res.score);
                }
            }
            boolean firing = false;
            if (ts != Long.MIN_VALUE) {
                AlertLifecycle.step(policy, s.life, score, ts, ts);
                firing = s.life.firing && s.life.quiet == 0;
            }
            o.predicted.add(firing);
            if (labelCol >= 0) o.truth.add(parseDouble(field(f, labelCol)) > 0);
            w.write(csv(tsText));
            if (seriesCol >= 0) w.write("," + csv(key));
            w.write(',');
            w.write(csv(field(f, valueCol)));
            String sc = format(score);
            w.write("," + sc + "," + (firing ? 1 : 0) + "," + sc + "\n");
        }
        w.flush();
        return o;
    }

    static String format(double score) {
        return String.format(Locale.ROOT, "%.6f", score);
    }

    private static String field(String[] f, int i) {
        return i < f.length ? f[i].trim() : "";
    }

    private static double parseDouble(String s) {
        if (s.isEmpty()) return Double.NaN;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Splits one CSV line (RFC 4180 quotes; no multi-line fields). */
    static String[] split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (c == '"') {
                    q = false;
                } else {
                    b.append(c);
                }
            } else if (c == '"') {
                q = true;
            } else if (c == ',') {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out.toArray(new String[0]);
    }

    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd[ ]['T']HH:mm[:ss]")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .toFormatter(Locale.ROOT);

    /** Epoch ms from the accepted timestamp forms; local date-times are taken as UTC. */
    static long parseTime(String s) {
        String t = s.trim();
        if (t.isEmpty()) throw new IllegalArgumentException("empty timestamp");
        char c0 = t.charAt(0);
        if (Character.isDigit(c0) && !t.contains("-") && !t.contains(":")) {
            double v = Double.parseDouble(t);
            return Math.abs(v) < 1e11 ? Math.round(v * 1000) : Math.round(v);
        }
        try {
            return OffsetDateTime.parse(t.replace(' ', 'T')).toInstant().toEpochMilli();
        } catch (RuntimeException ignored) {
            // not RFC 3339 with an offset
        }
        try {
            return LocalDateTime.parse(t, LOCAL).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (RuntimeException ignored) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        } catch (RuntimeException e) {
            return Instant.parse(t).toEpochMilli();
        }
    }
}
