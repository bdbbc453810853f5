package io.hawkeye.benchmarks;

import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.AlertLifecycle;
import io.hawkeye.alerts.LifecyclePolicy;
import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.DetectionResult;
import io.hawkeye.detect.SeasonalConfig;
import io.hawkeye.detect.SeasonalDetector;
import io.hawkeye.detect.SeasonalState;
import io.hawkeye.detect.SignalSpec;
import io.hawkeye.detect.multivariate.MultivariateConfig;
import io.hawkeye.detect.multivariate.MultivariateDetector;
import io.hawkeye.detect.multivariate.MultivariateModel;
import io.hawkeye.detect.multivariate.MultivariateResult;
import io.hawkeye.detect.multivariate.MultivariateState;
import io.hawkeye.detect.multivariate.RobustCovariance;
import io.hawkeye.detect.multivariate.ServiceFeatures;
import io.hawkeye.detect.multivariate.TailCalibration;
import io.hawkeye.jobs.detect.MultivariateServiceState;
import io.hawkeye.jobs.detect.RuleDefinition;
import io.hawkeye.jobs.detect.RuleSet;
import io.hawkeye.jobs.detect.SeriesState;
import io.hawkeye.stats.WindowStats;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import smile.anomaly.IsolationForest;

/**
 * Per-update cost of the detectors, one service / series, single thread:
 * <ul>
 *   <li>{@code iforestScore}: Smile isolation forest (100 trees, subsample 256, depth 8) score of one
 *       normalised 5-feature point;</li>
 *   <li>{@code relationshipScore}: robust Mahalanobis distance + calibration of one point;</li>
 *   <li>{@code multivariateScore}: {@link MultivariateDetector#score} — normalisation, both detectors, both
 *       calibrations (no attribution: a normal point);</li>
 *   <li>{@code multivariateUpdate}: {@link MultivariateDetector#update} with a full 512-row sample: score, sample
 *       admission and the refit every 60 windows, amortised;</li>
 *   <li>{@code refit}: one fit on 512 × 5 (forest, serialisation, training scores, robust covariance);</li>
 *   <li>{@code forestDeserialise}: reading a model's forest from its state bytes (a model-cache miss);</li>
 *   <li>{@code seasonalUpdate}: {@link SeasonalDetector#update} of a READY p99 series, 1-minute windows;</li>
 *   <li>{@code seasonalStateRoundTrip}: the Flink POJO serializer writing and reading one READY
 *       {@link SeriesState} (288 daily + 168 weekly buckets) — what the RocksDB backend adds to every window of
 *       every series ({@code value()} deserialises, {@code update()} serialises);</li>
 *   <li>{@code multivariateStateRoundTrip}: the same for a {@link MultivariateServiceState} with a full
 *       512-row sample (read and written once per service and window);</li>
 *   <li>{@code multivariateModelRead}: deserialising the fitted {@link MultivariateModel} from its state bytes
 *       (the operator reads it once per service and window);</li>
 *   <li>{@code rulesDefault} / {@code rules20}: threshold rules on one window of window statistics — scope and
 *       service match, expression, {@code for} in windows and one {@link AlertLifecycle} step per applicable
 *       rule, as {@code RulesEvaluator.processElement} does (without its keyed map state): the 2 shipped rules,
 *       and 20 rules of mixed shape;</li>
 *   <li>{@code alertLifecycleStep}: one {@link AlertLifecycle#step} (a quarter of the windows above the fire
 *       score, in runs, so the alert fires, updates and resolves);</li>
 *   <li>{@code alertToJson}: serialising one firing alert to the JSON of topic {@code hawkeye.alerts} (per
 *       emitted alert, not per window).</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DetectBenchmark {
    static final int POINTS = 4096;

    MultivariateDetector detector;
    MultivariateState state;
    MultivariateModel model;
    IsolationForest forest;
    RobustCovariance cov;
    /** Raw feature vectors (what {@code update} takes). */
    double[][] raw;
    /** Baseline-relative vectors (what {@code score} takes: rows of the training sample) and their normalised z. */
    double[][] rel;
    double[][] z;
    int i;

    SeasonalDetector seasonal;
    SeasonalState seasonalState;
    long ts;
    SplittableRandom rnd;

    TypeSerializer<SeriesState> seriesSerializer;
    SeriesState seriesState;
    TypeSerializer<MultivariateServiceState> serviceSerializer;
    MultivariateServiceState serviceState;
    TypeSerializer<MultivariateModel> modelSerializer;
    byte[] modelBytes;
    final DataOutputSerializer out = new DataOutputSerializer(1 << 20);
    final DataInputDeserializer in = new DataInputDeserializer();
    /** Serialised sizes, printed once (docs/benchmarks.md quotes them). */
    int seriesBytes;
    int serviceBytes;

    List<RuleDefinition.Compiled> defaultRules;
    List<RuleDefinition.Compiled> rules20;
    WindowStats[] windows;
    LifecycleState[] ruleStates;
    int updateEvery = 5;
    int quiet = 3;

    LifecyclePolicy policy;
    LifecycleState lifecycle;
    double[] lifecycleScores;
    Alert alert;

    static double[] normal(SplittableRandom r) {
        double t = r.nextDouble();
        return ServiceFeatures.vector(20 * Math.exp(0.05 * r.nextGaussian()),
                100 * Math.exp(0.08 * r.nextGaussian()), Math.max(0, 0.01 + 0.002 * r.nextGaussian()),
                (50 + 150 * t) * Math.exp(0.03 * r.nextGaussian()), 0.2 + 0.6 * t + 0.015 * r.nextGaussian());
    }

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(1);
        detector = new MultivariateDetector(MultivariateConfig.defaults());
        state = new MultivariateState();
        for (int k = 0; k < 1000; k++) {
            MultivariateResult res = detector.update(state, model, normal(r));
            if (res.newModel() != null) model = res.newModel();
        }
        forest = detector.forest(model);
        cov = new RobustCovariance(model.center, model.precision);
        raw = new double[POINTS][];
        rel = new double[POINTS][];
        z = new double[POINTS][];
        int dim = state.dim;
        for (int k = 0; k < POINTS; k++) {
            raw[k] = normal(r);
            // score() takes vectors relative to the features' seasonal baselines, as update() passes them: the
            // training sample's rows are such vectors (scoring raw vectors would hit the forest's shallow leaves).
            int row = k % state.rows;
            rel[k] = java.util.Arrays.copyOfRange(state.reservoir, row * dim, (row + 1) * dim);
            z[k] = MultivariateDetector.normalise(model, rel[k]);
        }
        seasonal = new SeasonalDetector(SeasonalConfig.defaults(), SignalSpec.latency());
        seasonalState = new SeasonalState();
        rnd = new SplittableRandom(2);
        ts = 1_767_225_600_000L;
        for (int k = 0; k < 3 * 1440; k++) seasonalUpdate();

        SerializerConfigImpl sc = new SerializerConfigImpl();
        seriesSerializer = TypeInformation.of(SeriesState.class).createSerializer(sc);
        seriesState = new SeriesState();
        seriesState.scope = "endpoint";
        seriesState.service = "checkout";
        seriesState.endpoint = "POST /pay";
        seriesState.signal = "p99_ms";
        seriesState.seasonal = seasonalState;
        seriesState.windowSizeMs = 60_000;
        serviceSerializer = TypeInformation.of(MultivariateServiceState.class).createSerializer(sc);
        serviceState = new MultivariateServiceState();
        serviceState.service = "checkout";
        serviceState.detector = state;
        modelSerializer = TypeInformation.of(MultivariateModel.class).createSerializer(sc);
        try {
            seriesBytes = write(seriesSerializer, seriesState).length;
            serviceBytes = write(serviceSerializer, serviceState).length;
            modelBytes = write(modelSerializer, model);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        System.out.printf("%n# serialised state: SeriesState %d B, MultivariateServiceState %d B, "
                + "MultivariateModel %d B%n", seriesBytes, serviceBytes, modelBytes.length);

        defaultRules = compile(RuleSet.defaults());
        List<RuleDefinition> many = new ArrayList<>();
        String[] exprs = {"error_rate > 0.05 and count >= 20", "p95_ms > 2000 and count >= 20",
            "p99_ms > 5 * p50_ms and count >= 50", "rps < 0.5", "max_ms > 10000 or p999_ms > 5000",
            "errors > 100", "not (p50_ms < 500) and count > 10", "(errors + 1) / (count + 1) > 0.1",
            "mean_ms > 1.5 * p90_ms", "p90_ms >= 800 and rps > 1"};
        for (int k = 0; k < 20; k++) {
            RuleDefinition d = new RuleDefinition();
            d.name = "Rule" + k;
            d.expr = exprs[k % exprs.length];
            d.forMs = (k % 3) * 60_000L;
            d.severity = k % 2 == 0 ? "warning" : "critical";
            d.scope = k % 4 == 3 ? RuleDefinition.SCOPE_SERVICE : RuleDefinition.SCOPE_ENDPOINT;
            if (k % 5 == 4) d.service = "check.*";
            many.add(d);
        }
        rules20 = compile(many);
        ruleStates = new LifecycleState[20];
        windows = new WindowStats[POINTS];
        for (int k = 0; k < POINTS; k++) windows[k] = window(r, k);

        policy = LifecyclePolicy.seasonalDefault();
        lifecycle = new LifecycleState();
        lifecycleScores = new double[POINTS];
        for (int k = 0; k < POINTS; k++) lifecycleScores[k] = (k / 16) % 4 == 0 ? 0.95 : 0.2 * r.nextDouble();
        alert = new Alert();
        alert.alertId = Alert.fingerprint("checkout", "POST /pay", "p99_ms", "seasonal");
        alert.status = Alert.FIRING;
        alert.severity = "warning";
        alert.detector = "seasonal";
        alert.signal = "p99_ms";
        alert.service = "checkout";
        alert.endpoint = "POST /pay";
        alert.value = 512.3;
        alert.expected = 101.7;
        alert.lower = 80.1;
        alert.upper = 140.2;
        alert.score = 0.997;
        alert.startsAt = ts;
        alert.windowStart = ts;
        alert.windowEnd = ts + 60_000;
        alert.labels.put("scope", "endpoint");
        alert.labels.put("direction", "up");
        alert.labels.put("baseline", "daily");
        alert.modelVersion = "seasonal-1:daily";
    }

    static List<RuleDefinition.Compiled> compile(List<RuleDefinition> defs) {
        List<RuleDefinition.Compiled> out = new ArrayList<>();
        for (RuleDefinition d : defs) out.add(d.compile());
        return out;
    }

    /** A window of an endpoint (3 in 4) or of the service rollup; 1 in 8 with errors and slow tails. */
    static WindowStats window(SplittableRandom r, int k) {
        WindowStats w = new WindowStats();
        boolean bad = r.nextInt(8) == 0;
        w.scope = k % 4 == 3 ? WindowStats.SCOPE_SERVICE : WindowStats.SCOPE_ENDPOINT;
        w.service = k % 2 == 0 ? "checkout" : "inventory";
        w.endpoint = w.scope.equals(WindowStats.SCOPE_SERVICE) ? WindowStats.ALL_ENDPOINTS : "POST /pay";
        w.seriesId = WindowStats.seriesId(w.service, w.endpoint);
        w.windowStart = 1_767_225_600_000L + k * 60_000L;
        w.windowEnd = w.windowStart + 60_000L;
        w.count = 100 + r.nextInt(5000);
        w.errors = Math.round(w.count * (bad ? 0.1 : 0.005));
        w.errorRate = (double) w.errors / w.count;
        w.rps = w.count / 60.0;
        w.p50Ms = 20 * Math.exp(0.1 * r.nextGaussian());
        w.p90Ms = w.p50Ms * 3;
        w.p95Ms = w.p50Ms * (bad ? 150 : 4);
        w.p99Ms = w.p95Ms * 2;
        w.p999Ms = w.p99Ms * 1.5;
        w.minMs = 1;
        w.meanMs = w.p50Ms * 1.3;
        w.maxMs = w.p999Ms * 2;
        return w;
    }

    private <T> byte[] write(TypeSerializer<T> ser, T value) throws IOException {
        out.clear();
        ser.serialize(value, out);
        return out.getCopyOfBuffer();
    }

    private int next() {
        return i = (i + 1) & (POINTS - 1);
    }

    @Benchmark
    public double iforestScore() {
        return forest.score(z[next()]);
    }

    @Benchmark
    public double relationshipScore() {
        return TailCalibration.score(cov.distance(z[next()]), model.distances);
    }

    @Benchmark
    public MultivariateResult multivariateScore() {
        return detector.score(model, rel[next()]);
    }

    @Benchmark
    public MultivariateResult multivariateUpdate() {
        MultivariateResult res = detector.update(state, model, raw[next()]);
        if (res.newModel() != null) model = res.newModel();
        return res;
    }

    @Benchmark
    public MultivariateModel refit() {
        return detector.fit(state);
    }

    @Benchmark
    public IsolationForest forestDeserialise() {
        return MultivariateDetector.deserialise(model.forest);
    }

    @Benchmark
    public DetectionResult seasonalUpdate() {
        ts += 60_000;
        double minuteOfDay = (ts / 60_000) % 1440;
        double v = 100 * (1 + 0.3 * Math.sin(2 * Math.PI * minuteOfDay / 1440)) * Math.exp(0.05 * rnd.nextGaussian());
        return seasonal.update(seasonalState, ts, v);
    }

    @Benchmark
    public SeriesState seasonalStateRoundTrip() throws IOException {
        out.clear();
        seriesSerializer.serialize(seriesState, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return seriesSerializer.deserialize(in);
    }

    @Benchmark
    public MultivariateServiceState multivariateStateRoundTrip() throws IOException {
        out.clear();
        serviceSerializer.serialize(serviceState, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return serviceSerializer.deserialize(in);
    }

    @Benchmark
    public MultivariateModel multivariateModelRead() throws IOException {
        in.setBuffer(modelBytes);
        return modelSerializer.deserialize(in);
    }

    private int evaluate(List<RuleDefinition.Compiled> rules) {
        WindowStats w = windows[next()];
        long windowMs = w.windowEnd - w.windowStart;
        int actions = 0;
        for (int k = 0; k < rules.size(); k++) {
            RuleDefinition.Compiled rule = rules.get(k);
            if (!rule.appliesTo(w)) continue;
            boolean active = rule.expression().test(w);
            LifecycleState s = ruleStates[k];
            if (s == null) {
                if (!active) continue;
                s = new LifecycleState();
            }
            LifecyclePolicy p = LifecyclePolicy.forCondition(rule.forWindows(windowMs), updateEvery, quiet);
            if (AlertLifecycle.step(p, s, active ? 1 : 0, w.windowStart, w.windowEnd) != AlertLifecycle.Action.NONE) {
                actions++;
            }
            ruleStates[k] = s.idle() ? null : s;
        }
        return actions;
    }

    @Benchmark
    public int rulesDefault() {
        return evaluate(defaultRules);
    }

    @Benchmark
    public int rules20() {
        return evaluate(rules20);
    }

    @Benchmark
    public AlertLifecycle.Action alertLifecycleStep() {
        int k = next();
        return AlertLifecycle.step(policy, lifecycle, lifecycleScores[k], k * 60_000L, (k + 1) * 60_000L);
    }

    @Benchmark
    public byte[] alertToJson() {
        return alert.toJson();
    }
}
