package io.hawkeye.tools.detect;

import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.UserError;
import io.hawkeye.tools.detect.EventEvaluation.Match;
import io.hawkeye.tools.detect.EventEvaluation.Segment;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./hawkeye evaluate --dataset DIR}: runs the job's detectors offline ({@link Backtest}, the backtest's
 * defaults) over every labelled CSV in a directory and scores the alert onsets against the labelled segments,
 * event by event ({@link EventEvaluation}: precision, recall, F1, false alarms per 1,000 points, detection delay,
 * the share of rows at the maximum score, a NAB-style early-detection score at the default fire score and over a
 * sweep of fire scores) per file and overall; with SMD's {@code interpretation_labels.csv}, whether the alerts'
 * attributions hit the labelled metrics.
 *
 * <p>Layouts: {@code *.csv} or {@code *.csv.gz} with a header holding a timestamp column and a {@code label}
 * column (aiops2018_kpi: {@code timestamp,value,label}; SMD: {@code timestamp,m0..m37,label,split}). With a
 * {@code split} column only the {@code test} rows are scored and the rows before them are the warm-up;
 * otherwise {@code --warm-up} (default none) from the file's first timestamp. The last stdout line is a
 * machine-readable summary ({@code overall files=… precision=… …}). Bad input (no such directory, no labelled
 * CSV, a bad header) is one line on stderr and exit code 2.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Run the anomaly detectors offline over labelled CSV files and score alert onsets against the "
                + "labelled segments (event level, no point adjustment).")
public class EvaluateCommand extends ToolCommand {
    /**
     * The fire scores of the sweep (every detector at the same fixed fire score, for as given; seasonal 0.9 ↔ p =
     * 1e-9). The default columns use the default lifecycle: seasonal by the false-alarm budget, multivariate 0.9.
     */
    static final double[] THRESHOLDS = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999, 0.999999};
    static final int DEFAULT_THRESHOLD = 4;
    private static final long PROGRESS_MS = 30_000;
    static final String INTERPRETATION = "interpretation_labels.csv";
    private static final Set<String> TIME_NAMES = Set.of("timestamp", "time", "ts", "datetime", "date");
    private static final Set<String> LABEL_NAMES = Set.of("label", "is_anomaly", "anomaly");

    @Option(names = "--dataset", required = true, paramLabel = "DIR",
            description = "A directory of labelled *.csv / *.csv.gz files (searched recursively).")
    Path dataset;

    @Option(names = "--output", paramLabel = "REPORT.md|csv",
            description = "Also write the report: markdown tables (.md) or one CSV row per file plus overall (.csv).")
    Path output;

    @Option(names = "--lead", defaultValue = "5",
            description = "An onset up to this many points before a segment detects it (default ${DEFAULT-VALUE}).")
    int lead;

    @Option(names = "--warm-up", defaultValue = "0",
            description = "Files without a split column: rows this long after the first timestamp are not scored "
                    + "(e.g. 2d; default ${DEFAULT-VALUE} = every row). With a split column the train rows are.")
    Duration warmUp;

    @Mixin
    DetectorOptions detectors;

    /** Metrics of one file, or the sum over files. */
    static final class Result {
        String name;
        long rows;
        long points;
        long pointsOutside;
        long saturated;
        /** Scored rows where an alert is firing (an alert that never resolves has one onset or none). */
        long alerting;
        int segments;
        int detected;
        int onsets;
        int falseAlarms;
        int repeats;
        final List<Integer> delays = new ArrayList<>();
        double nabRaw;
        double nabNull;
        double nabPerfect;
        final double[] sweepRaw = new double[THRESHOLDS.length];
        final int[] sweepDetected = new int[THRESHOLDS.length];
        final int[] sweepOnsets = new int[THRESHOLDS.length];
        /** Detected segments with interpretation labels and a non-empty onset ranking. */
        int attributed;
        double hitAtK;
        int hitAt3;
        int fromMultivariate;
        boolean interpreted;

        void add(Result r) {
            rows += r.rows;
            points += r.points;
            pointsOutside += r.pointsOutside;
            saturated += r.saturated;
            alerting += r.alerting;
            segments += r.segments;
            detected += r.detected;
            onsets += r.onsets;
            falseAlarms += r.falseAlarms;
            repeats += r.repeats;
            delays.addAll(r.delays);
            nabRaw += r.nabRaw;
            nabNull += r.nabNull;
            nabPerfect += r.nabPerfect;
            for (int t = 0; t < THRESHOLDS.length; t++) {
                sweepRaw[t] += r.sweepRaw[t];
                sweepDetected[t] += r.sweepDetected[t];
                sweepOnsets[t] += r.sweepOnsets[t];
            }
            attributed += r.attributed;
            hitAtK += r.hitAtK;
            hitAt3 += r.hitAt3;
            fromMultivariate += r.fromMultivariate;
            interpreted |= r.interpreted;
        }

        double precision() {
            return onsets == 0 ? 0 : (double) detected / onsets;
        }

        double recall() {
            return segments == 0 ? 0 : (double) detected / segments;
        }

        double f1() {
            double p = precision(), r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        double faPer1k() {
            return pointsOutside == 0 ? 0 : 1000.0 * falseAlarms / pointsOutside;
        }

        double maxScoreShare() {
            return points == 0 ? 0 : (double) saturated / points;
        }

        double alertShare() {
            return points == 0 ? 0 : (double) alerting / points;
        }

        double nab() {
            return EventEvaluation.normalised(nabRaw, nabNull, nabPerfect);
        }

        double nab(int t) {
            return EventEvaluation.normalised(sweepRaw[t], nabNull, nabPerfect);
        }

        /** Index of the sweep fire score with the best normalised score (the default 0.9 on ties, else the lowest). */
        int bestThreshold() {
            int best = DEFAULT_THRESHOLD;
            for (int t = 0; t < THRESHOLDS.length; t++) if (sweepRaw[t] > sweepRaw[best]) best = t;
            return best;
        }
    }

    /** One row of interpretation_labels.csv: test rows start..end (end exclusive) and the labelled metrics. */
    record Interpretation(int testStart, int testEnd, List<String> metrics) {
    }

    /** Bad input: reported as one line, exit code 2. */
    static final class BadInput extends Exception {
        BadInput(String message) {
            super(message);
        }
    }

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws IOException {
        List<Path> files;
        Map<String, List<Interpretation>> interpretations;
        try {
            files = labelledFiles(dataset);
            interpretations = interpretations(dataset.resolve(INTERPRETATION));
            if (lead < 0) throw new BadInput("--lead must be >= 0, got " + lead);
        } catch (BadInput e) {
            throw new UserError(e.getMessage()); // one line and exit 2, as every command (HawkeyeCli.configure)
        }
        Backtest backtest = detectors.backtest().sweeping(THRESHOLDS);
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(detectors.threadsFor(files.size()));
        List<Future<Result>> futures = new ArrayList<>();
        try {
            err.printf(Locale.ROOT, "evaluate: %d file(s) in %s, %d thread(s)%n", files.size(), dataset,
                    detectors.threadsFor(files.size()));
            err.flush();
            for (Path f : files) {
                futures.add(pool.submit(() -> {
                    long t1 = System.nanoTime();
                    Backtest.Outcome o;
                    try (Reader r = reader(f, progress(err, name(f), Files.size(f)))) {
                        o = backtest.run(r, Writer.nullWriter());
                    }
                    Result res = evaluate(name(f), o, lead, warmUp, interpretations.get(machine(f)));
                    synchronized (err) {
                        err.printf(Locale.ROOT, "evaluate: %s: %d rows in %.1f s%n", name(f), o.rows,
                                (System.nanoTime() - t1) / 1e9);
                        err.flush();
                    }
                    return res;
                }));
            }
            List<Result> results = new ArrayList<>();
            Result total = new Result();
            total.name = "overall";
            for (int i = 0; i < files.size(); i++) {
                try {
                    Result r = futures.get(i).get();
                    results.add(r);
                    total.add(r);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    err.println("evaluate: " + name(files.get(i)) + ": " + (c instanceof IllegalArgumentException
                            ? "bad input: " : "") + c.getMessage());
                    return c instanceof IllegalArgumentException ? 2 : 1;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
            }
            String report = markdown(results, total);
            out.print(report);
            if (output != null) {
                if (output.getParent() != null) Files.createDirectories(output.getParent());
                Files.writeString(output, output.toString().toLowerCase(Locale.ROOT).endsWith(".csv")
                        ? csv(results, total) : report + summary(files.size(), total) + "\n");
            }
            err.printf(Locale.ROOT, "evaluate: %d file(s), %d rows in %.1f s%n", files.size(), total.rows,
                    (System.nanoTime() - t0) / 1e9);
            err.flush();
            out.println(summary(files.size(), total));
            out.flush();
            return 0;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The labelled CSVs below {@code dir} (sorted); every one must have a timestamp and a label column. */
    static List<Path> labelledFiles(Path dir) throws BadInput, IOException {
        if (!Files.isDirectory(dir)) throw new BadInput("no such directory: " + dir);
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> {
                String f = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return (f.endsWith(".csv") || f.endsWith(".csv.gz")) && !f.equals(INTERPRETATION);
            }).sorted().toList();
        }
        if (files.isEmpty()) throw new BadInput("no labelled CSV (*.csv or *.csv.gz with a label column) in " + dir);
        for (Path f : files) checkHeader(f);
        return files;
    }

    private static void checkHeader(Path f) throws BadInput, IOException {
        String header;
        try (BufferedReader r = new BufferedReader(reader(f))) {
            header = r.readLine();
        } catch (IOException e) {
            throw new BadInput(name(f) + ": cannot read: " + e.getMessage());
        }
        if (header == null) throw new BadInput(name(f) + ": empty file, no header row");
        if (header.startsWith("\uFEFF")) header = header.substring(1);
        boolean time = false;
        boolean label = false;
        int others = 0;
        for (String c : Backtest.split(header)) {
            String col = c.trim().toLowerCase(Locale.ROOT);
            if (TIME_NAMES.contains(col)) time = true;
            else if (LABEL_NAMES.contains(col)) label = true;
            else if (!col.equals(Backtest.SPLIT) && !col.equals("series")) others++;
        }
        String problem = !time ? "no timestamp column" : !label ? "no label column (label, is_anomaly or anomaly)"
                : others == 0 ? "no value column" : null;
        if (problem != null) {
            throw new BadInput(name(f) + ": bad header '" + abbreviate(header) + "': " + problem
                    + " (expected e.g. timestamp,value,label or timestamp,m0,...,label,split)");
        }
    }

    /** SMD's interpretation labels per machine, or none when the file is absent. */
    static Map<String, List<Interpretation>> interpretations(Path file) throws BadInput, IOException {
        Map<String, List<Interpretation>> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) return out;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        String header = lines.isEmpty() ? "" : lines.get(0).trim();
        List<String> cols = List.of(Backtest.split(header));
        int machine = cols.indexOf("machine");
        int start = cols.indexOf("test_row_start");
        int end = cols.indexOf("test_row_end");
        int metrics = cols.indexOf("metrics");
        if (machine < 0 || start < 0 || end < 0 || metrics < 0) {
            throw new BadInput(INTERPRETATION + ": bad header '" + abbreviate(header)
                    + "': expected machine,test_row_start,test_row_end,...,metrics");
        }
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = Backtest.split(lines.get(i));
            try {
                List<String> m = new ArrayList<>();
                for (String x : f[metrics].split(";")) if (!x.isBlank()) m.add(x.trim());
                out.computeIfAbsent(f[machine].trim(), k -> new ArrayList<>()).add(new Interpretation(
                        Integer.parseInt(f[start].trim()), Integer.parseInt(f[end].trim()), List.copyOf(m)));
            } catch (RuntimeException e) {
                throw new BadInput(INTERPRETATION + ": bad line " + (i + 1) + ": " + abbreviate(lines.get(i)));
            }
        }
        return out;
    }

    /**
     * Scores one file's backtest outcome. Series (a {@code series} column) are scored apart and summed; the
     * first evaluated row is the first {@code test} row with a split column, else the first row at or after
     * the first timestamp + {@code warmUp}.
     */
    static Result evaluate(String name, Backtest.Outcome o, int lead, Duration warmUp,
            List<Interpretation> interpretation) {
        Result res = new Result();
        res.name = name;
        res.rows = o.rows;
        res.interpreted = interpretation != null;
        Map<String, List<Integer>> bySeries = new LinkedHashMap<>();
        for (int i = 0; i < o.predicted.size(); i++) {
            bySeries.computeIfAbsent(o.series.get(i), k -> new ArrayList<>()).add(i);
        }
        for (List<Integer> rows : bySeries.values()) {
            int n = rows.size();
            boolean[] truth = new boolean[n];
            BitSet firing = new BitSet(n);
            BitSet[] sweep = new BitSet[THRESHOLDS.length];
            for (int t = 0; t < sweep.length; t++) sweep[t] = new BitSet(n);
            int from = -1;
            int firstTest = -1;
            long first = Long.MIN_VALUE;
            for (int j = 0; j < n; j++) {
                int i = rows.get(j);
                truth[j] = o.hasTruth && o.truth.get(i);
                if (o.predicted.get(i)) firing.set(j);
                for (int t = 0; t < sweep.length; t++) if (o.sweepFiring[t].get(i)) sweep[t].set(j);
                long ts = o.timestamps.get(i);
                if (!o.splits.isEmpty()) {
                    if (firstTest < 0 && o.splits.get(i).equalsIgnoreCase("test")) firstTest = j;
                } else if (ts != Long.MIN_VALUE) {
                    if (first == Long.MIN_VALUE) first = ts;
                    if (from < 0 && ts >= first + warmUp.toMillis()) from = j;
                }
            }
            if (!o.splits.isEmpty()) from = firstTest;
            if (from < 0) from = n; // nothing to score
            List<Segment> all = EventEvaluation.segments(truth);
            from = EventEvaluation.firstRow(all, from);
            final int start = from;
            List<Segment> segments = all.stream().filter(s -> s.start() >= start).toList();
            Match m = EventEvaluation.match(segments, firing, from, n, lead);
            res.points += n - from;
            res.pointsOutside += EventEvaluation.pointsOutside(segments, from, n);
            for (int j = from; j < n; j++) if (o.scores.get(rows.get(j)) >= EventEvaluation.SATURATED) res.saturated++;
            res.alerting += from < n ? firing.get(from, n).cardinality() : 0;
            res.segments += m.segments;
            res.detected += m.detected;
            res.onsets += m.onsets;
            res.falseAlarms += m.falseAlarms;
            res.repeats += m.repeats;
            res.delays.addAll(m.delays);
            res.nabRaw += m.nabRaw;
            res.nabNull += EventEvaluation.nabNull(segments.size());
            res.nabPerfect += EventEvaluation.nabPerfect(segments.size());
            for (int t = 0; t < THRESHOLDS.length; t++) {
                Match s = EventEvaluation.match(segments, sweep[t], from, n, lead);
                res.sweepRaw[t] += s.nabRaw;
                res.sweepDetected[t] += s.detected;
                res.sweepOnsets[t] += s.onsets;
            }
            if (interpretation != null && firstTest >= 0) {
                attribution(res, o, rows, segments, m, firstTest, interpretation);
            }
        }
        return res;
    }

    /**
     * Attribution hits of the detected segments: the detecting onset's ranking ({@link Backtest.OnsetRanking})
     * against the segment's interpretation metrics L. hit@k (k = |L|, OmniAnomaly's HitRate@100%) =
     * |top-k ∩ L| / |L|; hit@3 = whether any of the top 3 is in L.
     */
    private static void attribution(Result res, Backtest.Outcome o, List<Integer> rows, List<Segment> segments,
            Match m, int firstTest, List<Interpretation> interpretation) {
        for (int k = 0; k < segments.size(); k++) {
            int onset = m.detectingOnset[k];
            if (onset < 0) continue;
            Segment s = segments.get(k);
            Interpretation best = null;
            int bestOverlap = 0;
            for (Interpretation in : interpretation) {
                int a = Math.max(s.start(), firstTest + in.testStart());
                int b = Math.min(s.end(), firstTest + in.testEnd() - 1);
                if (b - a + 1 > bestOverlap) {
                    bestOverlap = b - a + 1;
                    best = in;
                }
            }
            Backtest.OnsetRanking ranking = o.onsetRanking.get(rows.get(onset));
            if (best == null || best.metrics().isEmpty() || ranking == null || ranking.features().isEmpty()) continue;
            res.attributed++;
            if (!ranking.source().equals("seasonal")) res.fromMultivariate++;
            Set<String> labelled = new HashSet<>(best.metrics());
            List<String> f = ranking.features();
            int hits = 0;
            for (int j = 0; j < Math.min(labelled.size(), f.size()); j++) if (labelled.contains(f.get(j))) hits++;
            res.hitAtK += (double) hits / labelled.size();
            boolean top3 = false;
            for (int j = 0; j < Math.min(3, f.size()); j++) top3 |= labelled.contains(f.get(j));
            if (top3) res.hitAt3++;
        }
    }

    private static Reader reader(Path f) throws IOException {
        return reader(f, null);
    }

    /** Reports on stderr, at most every {@value #PROGRESS_MS} ms, how much of a file has been read. */
    private static LongConsumer progress(PrintWriter err, String name, long size) {
        long[] last = {System.currentTimeMillis()};
        return read -> {
            long now = System.currentTimeMillis();
            if (now - last[0] < PROGRESS_MS || size <= 0) return;
            last[0] = now;
            synchronized (err) {
                err.printf(Locale.ROOT, "evaluate: %s: %.0f %% read%n", name, 100.0 * read / size);
                err.flush();
            }
        };
    }

    private static Reader reader(Path f, LongConsumer progress) throws IOException {
        InputStream in = Files.newInputStream(f);
        if (progress != null) {
            in = new FilterInputStream(in) {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) progress.accept(++read);
                    return b;
                }

                @Override
                public int read(byte[] buf, int off, int len) throws IOException {
                    int n = super.read(buf, off, len);
                    if (n > 0) progress.accept(read += n);
                    return n;
                }
            };
        }
        if (f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
        return new InputStreamReader(in, StandardCharsets.UTF_8);
    }

    private static String name(Path f) {
        return f.getFileName().toString();
    }

    /** The machine (SMD) a file is about: its name without {@code .csv[.gz]}. */
    private static String machine(Path f) {
        return name(f).replaceFirst("(?i)\\.csv(\\.gz)?$", "");
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String f1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String delay(Result r) {
        return f1(EventEvaluation.median(r.delays));
    }

    String markdown(List<Result> results, Result total) {
        boolean attr = total.interpreted;
        int best = total.bestThreshold();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Event-level scores (lead %d points, --for %d, warm-up: the train rows "
                + "of files with a split column, else %s; NAB best = at the overall best fire score %s)%n%n", lead,
                detectors.forWindows, warmUp, THRESHOLDS[best]));
        b.append("| file | points | segments | detected | onsets | false alarms | repeats | precision | recall | F1 "
                + "| FA / 1k points | delay median | max-score share | alerting share | NAB default | NAB best |");
        if (attr) b.append(" attributed (mv) | hit@k | hit@3 |");
        b.append('\n').append("|---".repeat(attr ? 19 : 16)).append("|\n");
        List<Result> rows = new ArrayList<>(results);
        rows.add(total);
        for (Result r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s "
                    + "| %s | %s |", r == total ? "**overall**" : r.name, r.points, r.segments, r.detected, r.onsets,
                    r.falseAlarms, r.repeats, f3(r.precision()), f3(r.recall()), f3(r.f1()), f3(r.faPer1k()),
                    delay(r), f3(r.maxScoreShare()), f3(r.alertShare()), f1(r.nab()), f1(r.nab(best))));
            if (attr) {
                b.append(String.format(Locale.ROOT, " %d (%d) | %s | %s |", r.attributed, r.fromMultivariate,
                        f3(r.attributed == 0 ? Double.NaN : r.hitAtK / r.attributed),
                        f3(r.attributed == 0 ? Double.NaN : (double) r.hitAt3 / r.attributed)));
            }
            b.append('\n');
        }
        b.append("\nFire-score sweep (overall; every detector at the same fixed fire score; the default columns: "
                + "seasonal by the false-alarm budget, multivariate 0.9)\n\n");
        b.append("| fire score | onsets | detected | precision | recall | NAB |\n|---|---|---|---|---|---|\n");
        for (int t = 0; t < THRESHOLDS.length; t++) {
            int on = total.sweepOnsets[t];
            int det = total.sweepDetected[t];
            b.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s |%n", THRESHOLDS[t], on, det,
                    f3(on == 0 ? 0 : (double) det / on), f3(total.segments == 0 ? 0 : (double) det / total.segments),
                    f1(total.nab(t))));
        }
        b.append('\n');
        return b.toString();
    }

    String csv(List<Result> results, Result total) {
        boolean attr = total.interpreted;
        int best = total.bestThreshold();
        StringBuilder b = new StringBuilder("file,points,segments,detected,onsets,false_alarms,repeats,precision,recall,"
                + "f1,fa_per_1k,delay_median,max_score_share,alert_share,nab_score,nab_best,nab_best_threshold");
        if (attr) b.append(",attributed,attributed_multivariate,hit_at_k,hit_at_3");
        b.append('\n');
        List<Result> rows = new ArrayList<>(results);
        rows.add(total);
        for (Result r : rows) {
            b.append(String.join(",", r.name, Long.toString(r.points), Integer.toString(r.segments),
                    Integer.toString(r.detected), Integer.toString(r.onsets), Integer.toString(r.falseAlarms),
                    Integer.toString(r.repeats), f3(r.precision()), f3(r.recall()), f3(r.f1()), f3(r.faPer1k()),
                    delay(r), f3(r.maxScoreShare()), f3(r.alertShare()), f1(r.nab()), f1(r.nab(best)),
                    Double.toString(THRESHOLDS[best])));
            if (attr) {
                b.append(',').append(r.attributed).append(',').append(r.fromMultivariate).append(',')
                        .append(f3(r.attributed == 0 ? Double.NaN : r.hitAtK / r.attributed)).append(',')
                        .append(f3(r.attributed == 0 ? Double.NaN : (double) r.hitAt3 / r.attributed));
            }
            b.append('\n');
        }
        return b.toString();
    }

    /** The machine-readable last line. */
    static String summary(int files, Result t) {
        int best = t.bestThreshold();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                "overall files=%d segments=%d detected=%d onsets=%d false_alarms=%d precision=%s recall=%s f1=%s "
                        + "fa_per_1k=%s delay_median=%s max_score_share=%s alert_share=%s nab_score=%s nab_best=%s "
                        + "nab_best_threshold=%s", files, t.segments, t.detected, t.onsets, t.falseAlarms,
                f3(t.precision()), f3(t.recall()), f3(t.f1()), f3(t.faPer1k()), delay(t), f3(t.maxScoreShare()),
                f3(t.alertShare()), f1(t.nab()), f1(t.nab(best)), THRESHOLDS[best]));
        if (t.interpreted) {
            b.append(String.format(Locale.ROOT, " attributed=%d hit_at_k=%s hit_at_3=%s", t.attributed,
                    f3(t.attributed == 0 ? Double.NaN : t.hitAtK / t.attributed),
                    f3(t.attributed == 0 ? Double.NaN : (double) t.hitAt3 / t.attributed)));
        }
        return b.toString();
    }
}
