package io.hawkeye.tools.detect;

import io.hawkeye.alerts.AlertLifecycle;
import io.hawkeye.alerts.Attribution;
import io.hawkeye.alerts.LifecyclePolicy;
import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.DetectionResult;
import io.hawkeye.detect.SeasonalConfig;
import io.hawkeye.detect.SeasonalDetector;
import io.hawkeye.detect.SeasonalState;
import io.hawkeye.detect.SignalSpec;
import io.hawkeye.detect.TailModel;
import io.hawkeye.detect.multivariate.MultivariateConfig;
import io.hawkeye.detect.multivariate.MultivariateDetector;
import io.hawkeye.detect.multivariate.MultivariateModel;
import io.hawkeye.detect.multivariate.MultivariateResult;
import io.hawkeye.detect.multivariate.MultivariateState;
import io.hawkeye.detect.multivariate.ServiceFeatures;
import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.detect.DetectionConfig;
import io.hawkeye.jobs.detect.Scores;
import io.hawkeye.telemetry.Signals;
import io.hawkeye.tools.UserError;
import io.hawkeye.tools.csv.CsvLine;
import io.hawkeye.tools.csv.Timestamps;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Offline run of the streaming detectors over one CSV file, row by row in file order: each row is scored with
 * the state built from earlier rows only (no look-ahead), by the same {@link SeasonalDetector},
 * {@link MultivariateDetector} and {@link AlertLifecycle} code the Flink job uses.
 *
 * <p>Input: a header row; a {@code timestamp} column (or {@code time}/{@code ts}/{@code date}/the first column)
 * holding {@code YYYY-MM-DD HH:MM:SS[.ffffff]}, RFC 3339, a date, or epoch seconds/milliseconds (numbers below
 * 10^11 are seconds); one or more numeric columns; optionally a {@code series} column (one detector set per
 * distinct value) and a ground-truth column {@code label}, {@code is_anomaly} or {@code anomaly} (0/1; never shown
 * to the detectors; used for precision/recall); optionally a {@code count} column, the number of requests behind
 * the row (as the job's window statistics have it): not scored itself, it lets an {@code error_rate} column's
 * score allow for the sampling noise of few requests, as in the job. A column is numeric unless its cell in the first data row is
 * non-empty and not a number; empty or non-numeric cells later on are gaps. A column named {@code value} makes the
 * file one series: only it is scored, other numeric columns are ignored (data sets such as Yahoo Webscope A3/A4
 * carry their generator's trend, noise and changepoint columns beside it).
 *
 * <p>Detectors: each numeric column has its own seasonal detector, modelled like the streaming signal of the same
 * name ({@code rps}, {@code p50_ms}, {@code p99_ms}, {@code error_rate}, … : {@link SignalSpec#forSignal};
 * {@code cpu_utilization}: a ratio metric; anything else: generic, both directions). With two or more numeric
 * columns the multivariate detectors (isolation forest, relationship) also run on the row as a whole: on the
 * service feature vector of the streaming job when the columns {@code p50_ms, p99_ms, error_rate, rps} are present
 * (plus {@code cpu_utilization} when present), otherwise on all numeric columns as they are
 * ({@link MultivariateConfig#generic}). Every detector has its own alert lifecycle, as in the job (one per seasonal
 * column, one per multivariate detector); the multivariate ones fire after at least
 * {@value #MULTIVARIATE_FOR_WINDOWS} consecutive windows.
 *
 * <p>Output: the same rows in the same order with {@code timestamp,value,anomaly_score,label,score_seasonal} and,
 * with two or more numeric columns, {@code score_iforest,score_relationship} ({@code series} after
 * {@code timestamp} when present). {@code value} is the column named {@code value}, else the first numeric
 * column; {@code score_seasonal} is the largest seasonal score over the columns, counted only in the direction
 * the column alerts on (as the job's lifecycle sees it); {@code anomaly_score} is the largest of the detector
 * scores; {@code label} is 1 where any detector's alert is firing.
 *
 * <p>Gaps: a missing row is not an observation (nothing updated, nothing alerts), except for a column named
 * {@code rps}: as in the job, an empty {@code rps} cell and each missing window of a READY rate series that
 * expects ≥ {@code minExpectedCount} requests per window are scored as zero traffic (for missing rows the
 * lifecycle advances; there is no row to label, so a drop to zero shows from the next row on).
 *
 * <p>For evaluations ({@link #sweeping}): the same rows can be labelled at other fire scores in the same pass —
 * one more lifecycle per detector and threshold, fed the same scores (the detectors' own trajectory does not
 * depend on the lifecycle) — and each alert onset records what it points at ({@link Outcome#onsetRanking}).
 * An optional {@code split} column ({@code train}/{@code test}, as in SMD) is never scored and is recorded.
 */
public final class Backtest {
    private static final String[] TIME_NAMES = {"timestamp", "time", "ts", "datetime", "date"};
    private static final String[] LABEL_NAMES = {"label", "is_anomaly", "anomaly"};
    /** The requests behind a row (as {@code WindowStats.count}): not scored, the sample size of error rates. */
    static final String COUNT = "count";
    /** SMD's train/test marker: not scored, recorded per row ({@link Outcome#splits}). */
    static final String SPLIT = "split";
    private static final String[] SERVICE_COLUMNS = {Signals.P50_MS, Signals.P99_MS, Signals.ERROR_RATE, Signals.RPS};
    /**
     * The multivariate detectors fire only after this many consecutive windows at or above the fire score (the
     * job's default {@code detect.for-windows}): their scores are calibrated against a training sample of a few
     * hundred windows, and a single window beyond every training window happens about once per sample size
     * windows by chance (measured: 94 % of their false alerts on the simulated week were single windows).
     */
    static final int MULTIVARIATE_FOR_WINDOWS = 2;
    /** At most this many missing windows are scored as absent traffic per gap. */
    private static final int MAX_ABSENT_WINDOWS = 1440;

    private final DetectionConfig config;
    private final LifecyclePolicy policy;
    private final LifecyclePolicy multivariatePolicy;
    /** Extra fire scores labelled in the same pass ({@link #sweeping}); empty by default. */
    private final double[] sweep;
    private final LifecyclePolicy[] sweepPolicies;
    private final LifecyclePolicy[] sweepMultivariate;

    public Backtest(SeasonalConfig seasonal, LifecyclePolicy policy) {
        this(withSeasonal(seasonal), policy);
    }

    /** Uses {@code config}'s seasonal and multivariate settings, {@code minExpectedCount} and {@code multivariate}. */
    public Backtest(DetectionConfig config, LifecyclePolicy policy) {
        this(config, policy, new double[0]);
    }

    private Backtest(DetectionConfig config, LifecyclePolicy policy, double[] sweep) {
        this.config = config;
        this.policy = policy;
        this.multivariatePolicy = multivariate(policy);
        this.sweep = sweep.clone();
        this.sweepPolicies = new LifecyclePolicy[sweep.length];
        this.sweepMultivariate = new LifecyclePolicy[sweep.length];
        for (int t = 0; t < sweep.length; t++) {
            sweepPolicies[t] = new LifecyclePolicy(sweep[t], Math.min(policy.keepScore, sweep[t]), policy.forWindows,
                    policy.updateEveryWindows, policy.quietWindows);
            sweepMultivariate[t] = multivariate(sweepPolicies[t]);
        }
    }

    private static LifecyclePolicy multivariate(LifecyclePolicy p) {
        return new LifecyclePolicy(p.fireScore, p.keepScore, Math.max(MULTIVARIATE_FOR_WINDOWS, p.forWindows),
                p.updateEveryWindows, p.quietWindows);
    }

    /**
     * The same backtest that also labels every row at each of {@code fireScores} ({@link Outcome#sweepFiring}):
     * each detector gets one more lifecycle per fire score, with this policy's {@code for}, update and quiet
     * windows and keep score min(keepScore, fire score); the multivariate ones fire after at least
     * {@value #MULTIVARIATE_FOR_WINDOWS} windows, as always. The default labels ({@link Outcome#predicted}) are
     * unchanged.
     */
    public Backtest sweeping(double... fireScores) {
        return new Backtest(config, policy, fireScores);
    }

    /** The backtest CLI's detectors and lifecycle: the job's defaults, alerts after {@code forWindows} windows. */
    public static Backtest cliDefaults(int forWindows) {
        return cliDefaults(forWindows, HawkeyeOptions.DETECT_FALSE_ALARMS_PER_WEEK.defaultValue());
    }

    /**
     * The backtest CLI's detectors and lifecycle with a false-alarm budget per series and week (the job's
     * {@code detect.false-alarms-per-week}; 0 = the fixed fire score 0.9 for the seasonal detectors too).
     */
    public static Backtest cliDefaults(int forWindows, double falseAlarmsPerWeek) {
        LifecyclePolicy policy = new LifecyclePolicy(0.9, 0.7, forWindows, 1, 1);
        DetectionConfig config = DetectionConfig.defaults().with(b -> {
            b.multivariateModel = b.multivariateModel
                    .with(m -> m.minHistory = HawkeyeOptions.DETECT_MULTIVARIATE_MIN_HISTORY.defaultValue());
            b.falseAlarmsPerWeek = falseAlarmsPerWeek;
        });
        return new Backtest(config, policy);
    }

    private static DetectionConfig withSeasonal(SeasonalConfig seasonal) {
        return DetectionConfig.defaults().with(b -> b.seasonal = seasonal);
    }

    /**
     * Programmatic default lifecycle: fire at score ≥ 0.9 on the first window, stay while ≥ 0.7, resolve at once
     * (the CLI's default is {@code --for 2}, the job's {@code detect.for-windows}).
     */
    public static LifecyclePolicy defaultPolicy() {
        return new LifecyclePolicy(0.9, 0.7, 1, 1, 1);
    }

    /** Per-file outcome: per row its time (epoch ms; {@link Timestamps#NONE} if unparsable), prediction, truth. */
    public static final class Outcome {
        public final List<Boolean> predicted = new ArrayList<>();
        public final List<Boolean> truth = new ArrayList<>();
        public final List<Long> timestamps = new ArrayList<>();
        /** Series of each row ("" without a series column). */
        public final List<String> series = new ArrayList<>();
        public boolean hasTruth;
        public int rows;
        public int skipped;
        /** Numeric columns scored. */
        public List<String> columns = List.of();
        /** Whether the multivariate detectors ran (two or more numeric columns). */
        public boolean multivariate;
        /** Per row the largest detector score ({@code anomaly_score} of the output), 0 for unparsable rows. */
        public final List<Double> scores = new ArrayList<>();
        /** Per row the value of the {@code value} column (NaN without one, or when it is no number): for charts. */
        public final List<Double> values = new ArrayList<>();
        /** Per row the {@code split} cell (e.g. {@code train}/{@code test}); empty without a split column. */
        public final List<String> splits = new ArrayList<>();
        /** The fire scores of {@link Backtest#sweeping} (empty without a sweep). */
        public double[] sweepThresholds = new double[0];
        /** Per sweep fire score, the rows where any detector's alert is firing at that fire score. */
        public BitSet[] sweepFiring = new BitSet[0];
        /**
         * At each row where an alert starts (the row is labelled and the series' previous row is not), what it
         * points at: the multivariate alert's attribution (features, largest contribution first) when an
         * isolation-forest or relationship alert is firing (the higher score of the two), else the columns whose
         * seasonal alert is firing, highest score first.
         */
        public final Map<Integer, OnsetRanking> onsetRanking = new HashMap<>();
    }

    /** What an alert onset points at: {@code source} iforest | relationship | seasonal; features, top first. */
    public record OnsetRanking(String source, List<String> features) {
    }

    /** Detector state of one series (the whole file without a series column). */
    private static final class Series {
        final SeasonalState[] states;
        final LifecycleState[] lives;
        final MultivariateState mv = new MultivariateState();
        MultivariateModel model;
        final LifecycleState forestLife = new LifecycleState();
        final LifecycleState relationshipLife = new LifecycleState();
        /** [sweep threshold][detector]: the seasonal columns, then iforest, then relationship. */
        final LifecycleState[][] sweepLives;
        /** The last directional seasonal score per column (for the onset ranking). */
        final double[] lastScores;
        boolean wasFiring;

        Series(int columns, int thresholds) {
            states = new SeasonalState[columns];
            lives = new LifecycleState[columns];
            lastScores = new double[columns];
            for (int i = 0; i < columns; i++) {
                states[i] = new SeasonalState();
                lives[i] = new LifecycleState();
            }
            sweepLives = new LifecycleState[thresholds][columns + 2];
            for (LifecycleState[] row : sweepLives) {
                for (int i = 0; i < row.length; i++) row[i] = new LifecycleState();
            }
        }

        boolean firing() {
            for (LifecycleState l : lives) if (active(l)) return true;
            return active(forestLife) || active(relationshipLife);
        }

        boolean firing(int threshold) {
            for (LifecycleState l : sweepLives[threshold]) if (active(l)) return true;
            return false;
        }

        static boolean active(LifecycleState l) {
            return l.firing && l.quiet == 0;
        }
    }

    /** The seasonal model of a backtest column: as the streaming signal (or metric) of the same name. */
    static SignalSpec specFor(String column) {
        String c = column.trim().toLowerCase(Locale.ROOT);
        if (c.equals(Signals.CPU_UTILIZATION)) return SignalSpec.forMetric(c, "ratio");
        return SignalSpec.forSignal(c);
    }

    public Outcome run(Reader in, Writer out) throws IOException {
        BufferedReader r = new BufferedReader(in);
        BufferedWriter w = new BufferedWriter(out);
        String header = r.readLine();
        if (header == null) throw new UserError("empty file: no header row");
        if (header.startsWith("\uFEFF")) header = header.substring(1);
        String[] cols = split(header);
        int timeCol = -1;
        int seriesCol = -1;
        int labelCol = -1;
        int countCol = -1;
        int splitCol = -1;
        for (int i = 0; i < cols.length; i++) {
            String c = cols[i].trim().toLowerCase(Locale.ROOT);
            if (timeCol < 0 && List.of(TIME_NAMES).contains(c)) timeCol = i;
            if (c.equals("series")) seriesCol = i;
            if (c.equals(SPLIT)) splitCol = i;
            if (c.equals(COUNT)) countCol = i;
            if (labelCol < 0 && List.of(LABEL_NAMES).contains(c)) labelCol = i;
        }
        if (timeCol < 0) timeCol = 0;
        String first = r.readLine();
        while (first != null && first.isBlank()) first = r.readLine();
        String[] firstFields = first == null ? new String[0] : split(first);
        List<Integer> valueCols = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int valueCol = -1;
        for (int i = 0; i < cols.length; i++) {
            if (i == timeCol || i == seriesCol || i == labelCol || i == countCol || i == splitCol) continue;
            String cell = field(firstFields, i);
            if (!cell.isEmpty() && Double.isNaN(parseDouble(cell)) && !cell.equalsIgnoreCase("nan")) continue;
            valueCols.add(i);
            names.add(cols[i].trim());
            if (cols[i].trim().equalsIgnoreCase("value")) valueCol = i;
        }
        if (valueCols.isEmpty()) throw new UserError("no numeric column in header: " + header);
        if (valueCol >= 0 && valueCols.size() > 1) {
            // A column named "value" is the series; the other numeric columns describe it and are not scored
            // (Yahoo Webscope A3/A4 ship their generator's trend, noise, seasonality and changepoint columns).
            names = new ArrayList<>(List.of(cols[valueCol].trim()));
            valueCols = new ArrayList<>(List.of(valueCol));
        }
        if (valueCol < 0) valueCol = valueCols.get(0);
        int k = valueCols.size();
        SeasonalDetector[] detectors = new SeasonalDetector[k];
        int rpsCol = -1;
        for (int j = 0; j < k; j++) {
            detectors[j] = new SeasonalDetector(config.seasonal(), specFor(names.get(j)));
            if (names.get(j).equalsIgnoreCase(Signals.RPS)) rpsCol = j;
        }
        // Multivariate: the job's service feature vector when the file has its columns, else the raw columns.
        int[] serviceIdx = serviceColumns(names);
        boolean mv = config.multivariate() && k >= 2;
        MultivariateDetector mvDetector = null;
        if (mv) {
            MultivariateConfig mc = (serviceIdx != null ? config.multivariateModel()
                    : genericConfig(config.multivariateModel(), names))
                    .with(b -> b.keepSerialisedForest = false); // offline: the model never leaves this process
            mvDetector = new MultivariateDetector(mc, 2);
        }
        Map<String, Series> series = new HashMap<>();
        Outcome o = new Outcome();
        o.hasTruth = labelCol >= 0;
        o.columns = List.copyOf(names);
        o.multivariate = mv;
        int thresholds = sweep.length;
        o.sweepThresholds = sweep.clone();
        o.sweepFiring = new BitSet[thresholds];
        for (int t = 0; t < thresholds; t++) o.sweepFiring[t] = new BitSet();
        StringBuilder head = new StringBuilder("timestamp");
        if (seriesCol >= 0) head.append(",series");
        head.append(",value,anomaly_score,label,score_seasonal");
        if (mv) head.append(",score_iforest,score_relationship");
        w.write(head.append('\n').toString());
        double[] values = new double[k];
        String line = first;
        for (; line != null; line = r.readLine()) {
            if (line.isBlank()) continue;
            String[] f = split(line);
            o.rows++;
            String tsText = field(f, timeCol);
            String key = seriesCol >= 0 ? field(f, seriesCol) : "";
            Series s = series.computeIfAbsent(key, x -> new Series(k, thresholds));
            long ts = Timestamps.epochMillis(tsText);
            double seasonal = 0;
            double forest = 0;
            double relationship = 0;
            List<Attribution> forestWhy = List.of();
            List<Attribution> relationshipWhy = List.of();
            if (ts == Timestamps.NONE) {
                o.skipped++;
            } else {
                if (rpsCol >= 0) absent(detectors[rpsCol], s, rpsCol, ts);
                double c = countCol >= 0 ? parseDouble(field(f, countCol)) : Double.NaN;
                long count = c >= 0 ? Math.round(c) : 0;
                for (int j = 0; j < k; j++) {
                    values[j] = parseDouble(field(f, valueCols.get(j)));
                    DetectionResult res = detectors[j].update(s.states[j], ts, values[j], count);
                    if (res == null && j == rpsCol && Double.isNaN(values[j]) && config.minExpectedCount() > 0) {
                        res = detectors[j].updateAbsent(s.states[j], ts, config.minExpectedCount()); // no traffic
                    }
                    if (res == null) continue; // a gap, a duplicate or an out-of-order row: not an observation
                    double sc = directional(detectors[j], res);
                    step(s, j, sc, ts, ts);
                    s.lastScores[j] = sc;
                    seasonal = Math.max(seasonal, sc);
                }
                if (mv) {
                    double[] x = features(values, serviceIdx, names);
                    if (x != null) {
                        MultivariateResult res = mvDetector.update(s.mv, s.model, ts, x);
                        if (res.newModel() != null) s.model = res.newModel();
                        if (!res.learning()) {
                            forest = res.forestScore();
                            relationship = res.relationshipScore();
                            forestWhy = res.forestAttribution();
                            relationshipWhy = res.relationshipAttribution();
                            step(s, k, forest, ts, ts);
                            step(s, k + 1, relationship, ts, ts);
                        }
                    }
                }
            }
            boolean firing = ts != Timestamps.NONE && s.firing();
            int row = o.predicted.size();
            if (firing && !s.wasFiring) {
                o.onsetRanking.put(row, ranking(s, names, forest, forestWhy, relationship, relationshipWhy));
            }
            s.wasFiring = firing;
            for (int t = 0; t < thresholds; t++) {
                if (ts != Timestamps.NONE && s.firing(t)) o.sweepFiring[t].set(row);
            }
            if (splitCol >= 0) o.splits.add(field(f, splitCol));
            o.predicted.add(firing);
            o.timestamps.add(ts);
            o.series.add(key);
            o.values.add(valueCol >= 0 ? parseDouble(field(f, valueCol)) : Double.NaN);
            if (labelCol >= 0) o.truth.add(parseDouble(field(f, labelCol)) > 0);
            StringBuilder b = new StringBuilder(96).append(CsvLine.quote(tsText));
            if (seriesCol >= 0) b.append(',').append(CsvLine.quote(key));
            b.append(',').append(CsvLine.quote(field(f, valueCol)));
            double score = Math.max(seasonal, Math.max(forest, relationship));
            o.scores.add(score);
            b.append(',').append(format(score)).append(',').append(firing ? 1 : 0).append(',').append(format(seasonal));
            if (mv) b.append(',').append(format(forest)).append(',').append(format(relationship));
            w.write(b.append('\n').toString());
        }
        w.flush();
        return o;
    }

    /** The score the job's lifecycle sees: 0 while learning or in the direction the signal does not alert on. */
    private static double directional(SeasonalDetector d, DetectionResult r) {
        return r.learning() || !d.spec().alertOn.accepts(r.direction) ? 0 : r.score;
    }

    /** Scores the missing windows before {@code ts} of a rate column as zero traffic, as the job's timer does. */
    private void absent(SeasonalDetector d, Series s, int column, long ts) {
        SeasonalState st = s.states[column];
        if (config.minExpectedCount() <= 0 || st.stepMs <= 0 || st.n == 0) return;
        long next = st.lastTs + st.stepMs;
        for (int i = 0; i < MAX_ABSENT_WINDOWS && next < ts; i++, next += st.stepMs) {
            DetectionResult res = d.updateAbsent(st, next, config.minExpectedCount());
            if (res == null) return;
            step(s, column, directional(d, res), next, next + st.stepMs);
        }
    }

    /**
     * One window of detector {@code d} (a seasonal column; {@code columns} = iforest, {@code columns + 1} =
     * relationship) through its lifecycle and through its lifecycle at every sweep fire score.
     */
    private void step(Series s, int d, double score, long from, long to) {
        int columns = s.lives.length;
        boolean mv = d >= columns;
        LifecycleState life = d < columns ? s.lives[d] : d == columns ? s.forestLife : s.relationshipLife;
        // Seasonal columns fire by the false-alarm budget at their window size, as in the job.
        LifecyclePolicy p = mv ? multivariatePolicy : TailModel.budgetPolicy(policy, config.falseAlarmsPerWeek(), s.states[d].stepMs);
        AlertLifecycle.step(p, life, score, from, to);
        for (int t = 0; t < sweep.length; t++) {
            AlertLifecycle.step(mv ? sweepMultivariate[t] : sweepPolicies[t], s.sweepLives[t][d], score, from, to);
        }
    }

    /** What an alert starting at this row points at (see {@link Outcome#onsetRanking}). */
    private static OnsetRanking ranking(Series s, List<String> names, double forest, List<Attribution> forestWhy,
            double relationship, List<Attribution> relationshipWhy) {
        boolean f = Series.active(s.forestLife) && !forestWhy.isEmpty();
        boolean r = Series.active(s.relationshipLife) && !relationshipWhy.isEmpty();
        if (f || r) {
            boolean useForest = f && (!r || forest >= relationship);
            List<String> features = new ArrayList<>();
            for (Attribution a : useForest ? forestWhy : relationshipWhy) features.add(a.feature);
            return new OnsetRanking(useForest ? "iforest" : "relationship", List.copyOf(features));
        }
        List<Integer> firing = new ArrayList<>();
        for (int j = 0; j < s.lives.length; j++) if (Series.active(s.lives[j])) firing.add(j);
        firing.sort(Comparator.comparingDouble((Integer j) -> -s.lastScores[j]).thenComparing(j -> j));
        List<String> features = new ArrayList<>();
        for (int j : firing) features.add(names.get(j));
        return new OnsetRanking("seasonal", List.copyOf(features));
    }

    /** Indexes of p50_ms, p99_ms, error_rate, rps, cpu_utilization (−1 if absent), or null if one of the four is. */
    private static int[] serviceColumns(List<String> names) {
        int[] idx = new int[SERVICE_COLUMNS.length + 1];
        for (int i = 0; i < SERVICE_COLUMNS.length; i++) {
            idx[i] = indexOf(names, SERVICE_COLUMNS[i]);
            if (idx[i] < 0) return null;
        }
        idx[SERVICE_COLUMNS.length] = indexOf(names, Signals.CPU_UTILIZATION);
        return idx;
    }

    private static int indexOf(List<String> names, String name) {
        for (int i = 0; i < names.size(); i++) if (names.get(i).equalsIgnoreCase(name)) return i;
        return -1;
    }

    private static MultivariateConfig genericConfig(MultivariateConfig base, List<String> names) {
        return MultivariateConfig.generic(names.toArray(new String[0])).with(c -> {
            c.reservoirSize = base.reservoirSize();
            c.horizonWindows = base.horizonWindows();
            c.minHistory = base.minHistory();
            c.refitEvery = base.refitEvery();
            c.trees = base.trees();
            c.subsample = base.subsample();
            c.admitBelow = base.admitBelow();
            c.adaptAfter = base.adaptAfter();
            c.trimFraction = base.trimFraction();
            c.shrinkage = base.shrinkage();
            c.attributeFrom = base.attributeFrom();
            c.seed = base.seed();
        });
    }

    /**
     * The multivariate feature vector of a row, or null when the row is a gap: in service mode the job's vector
     * (a window without requests is not scored), otherwise the raw values (a row with no finite value is a gap).
     */
    private static double[] features(double[] v, int[] serviceIdx, List<String> names) {
        if (serviceIdx != null) {
            double rps = v[serviceIdx[3]];
            if (!(rps > 0)) return null;
            double cpu = serviceIdx[4] >= 0 ? v[serviceIdx[4]] : Double.NaN;
            return ServiceFeatures.vector(v[serviceIdx[0]], v[serviceIdx[1]], v[serviceIdx[2]], rps, cpu);
        }
        boolean any = false;
        for (double x : v) any |= Double.isFinite(x);
        return any ? v.clone() : null;
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

    /** Splits one CSV line (RFC 4180 quotes; no multi-line fields). */
    static String[] split(String line) {
        return CsvLine.split(line).toArray(String[]::new);
    }
}
