package io.hawkeye.detect.multivariate;

import io.hawkeye.alerts.Attribution;
import io.hawkeye.detect.DetectionResult;
import io.hawkeye.detect.SeasonalConfig;
import io.hawkeye.detect.SeasonalDetector;
import io.hawkeye.detect.SeasonalState;
import io.hawkeye.detect.SignalSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.InflaterInputStream;
import smile.anomaly.IsolationForest;
import smile.anomaly.IsolationTree;
import smile.math.MathEx;

/**
 * Multivariate anomaly detection for one service's feature vector per window ({@link ServiceFeatures}): an
 * isolation forest (Smile) and a relationship-break detector (robust covariance + Mahalanobis distance) fitted on
 * a training sample kept in {@link MultivariateState}, refitted on a cadence, calibrated to [0, 1]
 * ({@link TailCalibration}), with per-feature attribution.
 *
 * <p>Stateless logic apart from a small LRU cache of deserialised forests (keyed by the model's content
 * fingerprint, so it is safe to share across keys); all per-service memory is in {@link MultivariateState} and
 * {@link MultivariateModel}. Not thread-safe (one instance per operator instance). The streaming operator and any
 * offline use call the same {@link #update}.
 *
 * <p><b>Normalisation.</b> Per feature, z = (x − median) / scale with the training sample's median and
 * scale = 1.4826·MAD (1.2533·mean absolute deviation when the MAD is 0), floored at {@link #ABS_FLOOR} plus
 * {@link #REL_FLOOR}·|median| so that a feature that barely varied in training (an error rate that was always 0)
 * does not turn a tiny change into a huge z. A missing feature (NaN) is imputed with the median (z = 0), so it
 * neither raises nor explains a score.
 *
 * <p><b>Fits</b> are deterministic: trees are grown sequentially on the calling thread after
 * {@code MathEx.setSeed(seed + refits)}, each on a subsample drawn without replacement (Smile's own {@code fit}
 * grows trees on the common fork-join pool, whose thread-local generators make it non-reproducible).
 */
public class MultivariateDetector {
    /** Scale floors per feature, in feature units (log features: ≈ 5 % relative; error rate: 0.5 pp). */
    public static final double[] ABS_FLOOR = {0.05, 0.05, 0.005, 0.05, 0.005};
    public static final double[] REL_FLOOR = {0, 0, 0, 0, 0.02};

    private static final int CPU_INDEX = java.util.Arrays.asList(ServiceFeatures.NAMES).indexOf(ServiceFeatures.CPU);
    /** Robust z of a feature against its baseline is clamped to this (a zero-spread baseline gives ±1e9). */
    private static final double MAX_BASELINE_Z = 100;
    /** Least scale of a feature that is a z-score against its baseline (see {@link #fit}). */
    private static final double BASELINE_SCALE_FLOOR = 1.0;

    private final MultivariateConfig config;
    /** The seasonal baseline of each feature (stateless logic; the states are in {@link MultivariateState}). */
    private final SeasonalDetector[] baselines;
    private final Map<Long, IsolationForest> forests;

    public MultivariateDetector(MultivariateConfig config) {
        this(config, 32);
    }

    public MultivariateDetector(MultivariateConfig config, int cachedModels) {
        this.config = config;
        this.baselines = new SeasonalDetector[config.dimension()];
        for (int j = 0; j < baselines.length; j++) {
            double abs = config.featureNames() != null ? config.absFloor()[j] : ABS_FLOOR[j];
            double rel = config.featureNames() != null ? config.relFloor()[j] : REL_FLOOR[j];
            // The spec's floors are on the mean absolute deviation; the detector's scale floors are on σ. CPU
            // utilisation is proportional to load, so its daily and weekly effects are multiplicative: its baseline
            // works in log space like the log features' (an additive weekend step learnt at last week's level
            // would fall short by the growth since).
            SignalSpec spec = config.featureNames() == null && j == CPU_INDEX
                    ? new SignalSpec(SignalSpec.Transform.LOG, 0.01, 0.03 / SeasonalDetector.SIGMA_PER_MAD, 0, SignalSpec.Direction.BOTH)
                    : new SignalSpec(SignalSpec.Transform.IDENTITY, 0, abs / SeasonalDetector.SIGMA_PER_MAD,
                            rel / SeasonalDetector.SIGMA_PER_MAD,
                            SignalSpec.Direction.BOTH);
            // Without the data-aware noise floors: the features are z against these baselines, with their own
            // scale floors; flooring the baselines as well changed the forest's training sample (on the 14-day
            // simulator run: 2 more false alerts, both multivariate).
            baselines[j] = new SeasonalDetector(SeasonalConfig.defaults(), spec.withoutDataFloors());
        }
        this.forests = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, IsolationForest> e) {
                return size() > cachedModels;
            }
        };
    }

    public MultivariateConfig config() {
        return config;
    }

    /**
     * Scores {@code raw} (a {@link ServiceFeatures} vector) with {@code model} (null while learning), then
     * admits it to the training sample (unless it scored ≥ {@code admitBelow}, see {@link MultivariateConfig})
     * and refits when due. Mutates {@code s}; returns the new model in the result when one was fitted.
     */
    public MultivariateResult update(MultivariateState s, MultivariateModel model, double[] raw) {
        return update(s, model, s.observations * 60_000L, raw);
    }

    /**
     * As {@link #update(MultivariateState, MultivariateModel, double[])} for the window starting at {@code ts}
     * (epoch ms; the per-feature seasonal baselines need the time of day and week). The three-argument form takes
     * consecutive 1-minute windows.
     */
    public MultivariateResult update(MultivariateState s, MultivariateModel model, long ts, double[] raw) {
        if (raw.length != config.dimension()) {
            throw new IllegalArgumentException("expected " + config.dimension() + " features, got " + raw.length);
        }
        if (s.dim == 0) {
            s.dim = raw.length;
            s.reservoir = new double[config.reservoirSize() * raw.length];
            s.rng = config.seed();
        }
        if (config.seasonalBaseline() && s.baselines.length != raw.length) {
            s.baselines = new SeasonalState[raw.length];
            for (int j = 0; j < raw.length; j++) s.baselines[j] = new SeasonalState();
            // State restored from a version without baselines: its sample holds raw features, which the new
            // vectors cannot be mixed with, so the detectors learn again from an empty sample.
            s.rows = 0;
            s.admitted = 0;
            s.sinceRefit = 0;
            s.rejectRun = 0;
        }
        // A model fitted on the other kind of vector (raw features vs baseline z, e.g. from a savepoint of an
        // earlier version) would score nonsense: it is ignored until the next fit.
        if (model != null && model.seasonalBaseline != config.seasonalBaseline()) model = null;
        double[] x = relativeToBaseline(s, ts, raw);
        s.observations++;
        if (config.seasonalBaseline() && allNaN(x)) { // every baseline still learning: nothing to learn from yet
            return new MultivariateResult(true, 0, Double.NaN, List.of(), 0, Double.NaN, List.of(), null, false,
                    null);
        }
        MultivariateResult scored = model == null ? null : score(model, x);
        boolean admit;
        if (scored == null || Math.max(scored.forestScore(), scored.relationshipScore()) < config.admitBelow()) {
            admit = true;
            s.rejectRun = 0;
        } else {
            admit = ++s.rejectRun > config.adaptAfter();
        }
        if (admit) admit(s, x);
        s.sinceRefit++;
        MultivariateModel fitted = null;
        // A young model (small sample) refits after its sample grew by a quarter, so the first pass through a
        // new regime (e.g. the first daily trough) is learnt quickly; later every refitEvery windows.
        int cadence = Math.min(config.refitEvery(), Math.max(10, s.rows / 4));
        if (model == null ? s.admitted >= config.minHistory() : s.sinceRefit >= cadence) {
            fitted = fit(s);
        }
        if (scored == null) {
            return new MultivariateResult(true, 0, Double.NaN, List.of(), 0, Double.NaN, List.of(), null, admit,
                    fitted);
        }
        return new MultivariateResult(false, scored.forestScore(), scored.forestRaw(), scored.forestAttribution(),
                scored.relationshipScore(), scored.distance(), scored.relationshipAttribution(),
                scored.modelVersion(), admit, fitted);
    }

    /**
     * Each feature as its robust z against its own seasonal baseline — the baseline's score statistic: the smallest
     * |z| among its plausible models (level, daily, weekly), so a weekend the weekly model explains is not a
     * departure — computed before the baseline learns {@code raw}. NaN stays NaN, and a feature whose baseline is
     * still LEARNING is NaN too. Without {@code seasonalBaseline} the vector is returned as is.
     */
    private double[] relativeToBaseline(MultivariateState s, long ts, double[] raw) {
        if (!config.seasonalBaseline()) return raw;
        double[] x = new double[raw.length];
        for (int j = 0; j < raw.length; j++) {
            DetectionResult r = Double.isFinite(raw[j]) ? baselines[j].update(s.baselines[j], ts, raw[j]) : null;
            // A baseline that is still LEARNING has no spread to measure against: its z means nothing yet.
            x[j] = r == null || r.state == DetectionResult.State.LEARNING ? Double.NaN
                    : Math.max(-MAX_BASELINE_Z, Math.min(MAX_BASELINE_Z, r.z));
        }
        return x;
    }

    /**
     * Scores one vector with a fitted model (no state change). With {@code seasonalBaseline} the vector is the
     * features' z against their baselines, as {@link #update} passes it, not the raw features.
     */
    public MultivariateResult score(MultivariateModel m, double[] x) {
        double[] full = normalise(m, x);
        // A feature that was constant in training (an error rate that was always 0) gives the forest nothing to
        // learn, but Smile's trees still split on it at that one value, so any tiny departure (0.0002 on a decaying
        // baseline after an error burst) lands in an empty branch and looks maximally isolated. The forest
        // therefore sees such features at their training value; a real departure is the envelope's (below).
        double[] z = forForest(m, full);
        IsolationForest forest = forest(m);
        double fRaw = forest.score(z);
        double envelope = envelope(full);
        double fScore = TailCalibration.score(fRaw, m.forestScores);
        double eScore = m.envelopes == null ? 0 : TailCalibration.score(envelope, m.envelopes);
        boolean byEnvelope = eScore > fScore;
        fScore = Math.max(fScore, eScore);
        RobustCovariance cov = new RobustCovariance(m.center, m.precision);
        double dist = cov.distance(full);
        double rScore = TailCalibration.score(dist, m.distances);
        List<Attribution> fAttr = List.of();
        if (fScore >= config.attributeFrom() && byEnvelope) {
            double[] c = new double[z.length];
            for (int j = 0; j < z.length; j++) c[j] = full[j] * full[j];
            fAttr = attribution(c, names());
        } else if (fScore >= config.attributeFrom()) {
            double[] c = new double[z.length];
            double sum = 0;
            for (int j = 0; j < z.length; j++) {
                if (z[j] == 0) continue;
                double keep = z[j];
                z[j] = 0;
                c[j] = Math.max(0, fRaw - forest.score(z));
                z[j] = keep;
                sum += c[j];
            }
            if (!(sum > 0)) { // no single feature explains it: fall back to the robust |z|
                for (int j = 0; j < z.length; j++) c[j] = Math.abs(z[j]);
            }
            fAttr = attribution(c, names());
        }
        List<Attribution> rAttr = rScore >= config.attributeFrom()
                ? attribution(cov.contributions(full), names()) : List.of();
        return new MultivariateResult(false, fScore, fRaw, fAttr, rScore, dist, rAttr, m.version, false, null);
    }

    private String[] names() {
        return config.featureNames() == null ? ServiceFeatures.NAMES : config.featureNames();
    }

    private static boolean allNaN(double[] x) {
        for (double v : x) if (!Double.isNaN(v)) return false;
        return true;
    }

    /** {@code z} with the model's constant features at their training value (0). */
    private static double[] forForest(MultivariateModel m, double[] z) {
        if (m.constant == null) return z;
        double[] f = z.clone();
        for (int j = 0; j < f.length; j++) if (m.constant[j]) f[j] = 0;
        return f;
    }

    /** The envelope statistic: the largest robust |z| of any feature. */
    static double envelope(double[] z) {
        double m = 0;
        for (double v : z) m = Math.max(m, Math.abs(v));
        return m;
    }

    /** Robust z per feature (NaN → 0, the median). */
    public static double[] normalise(MultivariateModel m, double[] raw) {
        double[] z = new double[raw.length];
        for (int j = 0; j < raw.length; j++) {
            z[j] = Double.isFinite(raw[j]) ? (raw[j] - m.median[j]) / m.scale[j] : 0;
        }
        return z;
    }

    /** Sorted (feature, share) with shares summing to 1; features with no share are left out. */
    static List<Attribution> attribution(double[] c) {
        return attribution(c, ServiceFeatures.NAMES);
    }

    static List<Attribution> attribution(double[] c, String[] names) {
        double sum = 0;
        for (double v : c) if (v > 0 && Double.isFinite(v)) sum += v;
        List<Attribution> out = new ArrayList<>();
        if (!(sum > 0)) return out;
        for (int j = 0; j < c.length; j++) {
            if (c[j] > 0 && Double.isFinite(c[j])) out.add(new Attribution(names[j], c[j] / sum));
        }
        out.sort((a, b) -> Double.compare(b.contribution, a.contribution));
        return out;
    }

    private void admit(MultivariateState s, double[] raw) {
        s.admitted++;
        int d = s.dim;
        int cap = config.reservoirSize();
        int slot;
        if (s.rows < cap) {
            slot = s.rows++;
        } else {
            double p = Math.max((double) cap / s.admitted, (double) cap / Math.max(cap, config.horizonWindows()));
            if (nextDouble(s) >= p) return;
            slot = (int) (nextDouble(s) * cap);
        }
        System.arraycopy(raw, 0, s.reservoir, slot * d, d);
    }

    private static double nextDouble(MultivariateState s) {
        s.rng += 0x9e3779b97f4a7c15L;
        long z = s.rng;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        return (z >>> 11) * 0x1.0p-53;
    }

    /** Fits a new model on the state's training sample (counts as a refit). */
    public MultivariateModel fit(MultivariateState s) {
        int n = s.rows;
        int d = s.dim;
        s.refits++;
        s.sinceRefit = 0;
        MultivariateModel m = new MultivariateModel();
        m.dim = d;
        m.seasonalBaseline = config.seasonalBaseline();
        m.trainingSize = n;
        m.version = "iforest-" + s.refits + "-" + n;
        m.median = new double[d];
        m.scale = new double[d];
        double[] col = new double[n];
        for (int j = 0; j < d; j++) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                double v = s.reservoir[i * d + j];
                if (Double.isFinite(v)) col[k++] = v;
            }
            double med = k == 0 ? 0 : median(col, k);
            double mad = 0;
            double meanAbs = 0;
            if (k > 0) {
                double[] dev = new double[k];
                for (int i = 0; i < k; i++) {
                    dev[i] = Math.abs(col[i] - med);
                    meanAbs += dev[i];
                }
                meanAbs /= k;
                mad = median(dev, k);
            }
            double scale = mad > 0 ? 1.4826 * mad : 1.2533 * meanAbs;
            // With seasonal baselines the features are robust z-scores already: their scale is floored at one
            // baseline σ (an error rate that is always 0 has z ≡ 0, and a 0.3-σ wobble must not become an outlier).
            double floor = config.seasonalBaseline() ? BASELINE_SCALE_FLOOR
                    : config.featureNames() != null
                    ? config.absFloor()[j] + config.relFloor()[j] * Math.abs(med)
                    : ABS_FLOOR[j] + REL_FLOOR[j] * Math.abs(med);
            m.median[j] = med;
            m.scale[j] = Math.max(scale, floor);
            if (k > 0 && meanAbs == 0) {
                if (m.constant == null) m.constant = new boolean[d];
                m.constant[j] = true;
            }
        }
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            z[i] = normalise(m, Arrays.copyOfRange(s.reservoir, i * d, (i + 1) * d));
        }

        IsolationForest forest = growForest(z, config.trees(), config.subsample(), config.seed() + s.refits);
        if (config.keepSerialisedForest()) {
            m.forest = serialise(forest);
            m.forestId = fingerprint(m.forest);
            forests.put(m.forestId, forest);
        } else {
            m.fittedForest = forest;
        }
        m.forestScores = new double[n];
        for (int i = 0; i < n; i++) m.forestScores[i] = forest.score(z[i]);
        Arrays.sort(m.forestScores);
        m.envelopes = new double[n];
        for (int i = 0; i < n; i++) m.envelopes[i] = envelope(z[i]);
        Arrays.sort(m.envelopes);

        RobustCovariance cov = RobustCovariance.fit(z, config.trimFraction(), config.shrinkage());
        m.center = cov.center;
        m.precision = cov.precision;
        m.distances = new double[n];
        for (int i = 0; i < n; i++) m.distances[i] = cov.distance(z[i]);
        Arrays.sort(m.distances);
        return m;
    }

    /** Standard isolation forest (extension level 0), grown sequentially and reproducibly. */
    public static IsolationForest growForest(double[][] z, int trees, int subsample, long seed) {
        // Smile's tree growth draws from MathEx's thread-local generator (seeded here) and from the shared
        // GaussianDistribution singleton, which caches the second value of each Box–Muller pair: reset that cache
        // and hold a global lock so that concurrent fits (several slots in one JVM) cannot interleave.
        synchronized (GROW_LOCK) {
            resetGaussianCache();
            return grow(z, trees, subsample, seed);
        }
    }

    private static final Object GROW_LOCK = new Object();
    private static final java.lang.reflect.Field GAUSSIAN_CACHE = gaussianCacheField();

    private static java.lang.reflect.Field gaussianCacheField() {
        try {
            java.lang.reflect.Field f = smile.stat.distribution.GaussianDistribution.class.getDeclaredField("z1");
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // fits stay correct, only not bit-for-bit reproducible
        }
    }

    private static void resetGaussianCache() {
        if (GAUSSIAN_CACHE == null) return;
        try {
            GAUSSIAN_CACHE.setDouble(smile.stat.distribution.GaussianDistribution.getInstance(), Double.NaN);
        } catch (IllegalAccessException e) {
            // see gaussianCacheField
        }
    }

    private static IsolationForest grow(double[][] z, int trees, int subsample, long seed) {
        int n = z.length;
        int sub = Math.min(subsample, n);
        int maxDepth = (int) Math.ceil(Math.log(sub) / Math.log(2));
        MathEx.setSeed(seed);
        IsolationTree[] t = new IsolationTree[trees];
        for (int k = 0; k < trees; k++) {
            int[] perm = MathEx.permutate(n);
            List<double[]> sample = new ArrayList<>(sub);
            for (int i = 0; i < sub; i++) sample.add(z[perm[i]]);
            t[k] = new IsolationTree(sample, maxDepth, 0);
        }
        return new IsolationForest(sub, 0, t);
    }

    private static double median(double[] v, int k) {
        double[] c = Arrays.copyOf(v, k);
        Arrays.sort(c);
        return (c[(k - 1) / 2] + c[k / 2]) / 2;
    }

    /** The deserialised forest of a model (cached by content fingerprint). */
    public IsolationForest forest(MultivariateModel m) {
        if (m.fittedForest != null) return m.fittedForest;
        IsolationForest f = forests.get(m.forestId);
        if (f == null) {
            f = deserialise(m.forest);
            forests.put(m.forestId, f);
        }
        return f;
    }

    public static byte[] serialise(IsolationForest forest) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (ObjectOutputStream out = new ObjectOutputStream(
                new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_SPEED), 1 << 14))) {
            out.writeObject(forest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static final ObjectInputFilter FILTER =
            ObjectInputFilter.Config.createFilter("smile.anomaly.*;java.lang.*;java.util.*;maxdepth=64;!*");

    public static IsolationForest deserialise(byte[] bytes) {
        try (ObjectInputStream in = new ClassLoaderObjectInputStream(
                new InflaterInputStream(new ByteArrayInputStream(bytes)))) {
            in.setObjectInputFilter(FILTER);
            return (IsolationForest) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalArgumentException("not a serialised isolation forest: " + e, e);
        }
    }

    static long fingerprint(byte[] bytes) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(bytes);
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (h[i] & 0xff);
            return v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Resolves classes with this library's class loader (Flink's user-code loader inside a job). */
    private static final class ClassLoaderObjectInputStream extends ObjectInputStream {
        ClassLoaderObjectInputStream(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, MultivariateDetector.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }
    }
}
