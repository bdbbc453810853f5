package io.hawkeye.detect.multivariate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.alerts.Attribution;
import java.util.Random;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Synthetic service: a latent load t ∈ [0, 1] drives the request rate (50..200 rps) and CPU (0.2..0.8), latency
 * and error rate are noisy around their levels. Seeded, deterministic. Most tests exercise the detector core on the
 * vectors as given ({@code seasonalBaseline = false}: the windows are exchangeable, no time structure); the
 * seasonal-baseline mode the job uses is tested on a service with a daily rhythm and growth.
 */
class MultivariateDetectorTest {
    static final double FIRE = 0.9;

    static double[] normal(Random r) {
        double t = r.nextDouble();
        return point(t, t, r);
    }

    /** A window with load {@code tRps} on the request rate and {@code tCpu} on the CPU. */
    static double[] point(double tRps, double tCpu, Random r) {
        double rps = (50 + 150 * tRps) * Math.exp(0.03 * r.nextGaussian());
        double cpu = 0.2 + 0.6 * tCpu + 0.015 * r.nextGaussian();
        double p50 = 20 * Math.exp(0.05 * r.nextGaussian());
        double p99 = 100 * Math.exp(0.08 * r.nextGaussian());
        double err = Math.max(0, 0.01 + 0.002 * r.nextGaussian());
        return ServiceFeatures.vector(p50, p99, err, rps, cpu);
    }

    record Trained(MultivariateDetector detector, MultivariateState state, MultivariateModel model) {}

    static MultivariateConfig core() {
        return MultivariateConfig.defaults().with(b -> b.seasonalBaseline = false);
    }

    static Trained train(int windows, long seed) {
        MultivariateConfig c = core();
        MultivariateDetector d = new MultivariateDetector(c);
        MultivariateState s = new MultivariateState();
        MultivariateModel m = null;
        Random r = new Random(seed);
        for (int i = 0; i < windows; i++) {
            MultivariateResult res = d.update(s, m, normal(r));
            if (i < c.minHistory() - 1) assertThat(res.learning()).isTrue();
            if (res.newModel() != null) m = res.newModel();
        }
        return new Trained(d, s, m);
    }

    @Test
    void learningUntilMinHistoryThenModelVersionCountsRefits() {
        MultivariateConfig c = core();
        MultivariateDetector d = new MultivariateDetector(c);
        MultivariateState s = new MultivariateState();
        Random r = new Random(1);
        MultivariateModel m = null;
        for (int i = 0; i < c.minHistory(); i++) {
            MultivariateResult res = d.update(s, m, normal(r));
            assertThat(res.learning()).isTrue();
            assertThat(res.forestScore()).isZero();
            if (res.newModel() != null) m = res.newModel();
        }
        assertThat(m).isNotNull();
        assertThat(m.version).isEqualTo("iforest-1-60");
        // young models refit once the sample grew by a quarter (here after 19 windows), later every refitEvery
        MultivariateModel next = null;
        int windows = 0;
        while (next == null) {
            MultivariateResult res = d.update(s, m, normal(r));
            windows++;
            assertThat(res.learning()).isFalse();
            assertThat(res.modelVersion()).isEqualTo("iforest-1-60");
            next = res.newModel();
        }
        assertThat(next.version).isEqualTo("iforest-2-" + s.rows);
        assertThat(windows).isEqualTo(19);
        for (int i = 0; i < 2000; i++) {
            MultivariateResult res = d.update(s, next, normal(r));
            if (res.newModel() != null) next = res.newModel();
        }
        assertThat(s.rows).isEqualTo(c.reservoirSize());
        assertThat(next.version).isEqualTo("iforest-" + s.refits + "-512");
    }

    @Test
    void farOutlierOnOneFeatureScoresHighWithThatFeatureOnTop() {
        Trained t = train(1000, 7);
        Random r = new Random(99);
        double[] x = normal(r);
        x[1] = Math.log1p(100 * 8.0); // p99 eight times its normal level, everything else normal
        MultivariateResult res = t.detector().score(t.model(), x);
        System.out.printf("outlier: iforest %.3f (raw %.3f) %s; relationship %.3f (d %.2f) %s%n",
                res.forestScore(), res.forestRaw(), res.forestAttribution(), res.relationshipScore(),
                res.distance(), res.relationshipAttribution());
        assertThat(res.forestScore()).isGreaterThanOrEqualTo(FIRE);
        assertThat(res.forestAttribution().get(0).feature).isEqualTo(ServiceFeatures.LOG_P99);
        assertThat(res.forestAttribution().stream().mapToDouble(a -> a.contribution).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(res.relationshipScore()).isGreaterThanOrEqualTo(FIRE);
        assertThat(res.relationshipAttribution().get(0).feature).isEqualTo(ServiceFeatures.LOG_P99);
    }

    @Test
    void correlationBreakWithNormalMarginalsIsCaughtByTheRelationshipDetector() {
        Trained t = train(1000, 11);
        Random r = new Random(5);
        int caught = 0;
        int forestCaught = 0;
        int n = 50;
        for (int i = 0; i < n; i++) {
            // Traffic near its peak while CPU stays at its trough level: both within their marginal ranges.
            double[] x = point(0.9, 0.1, r);
            double[] z = MultivariateDetector.normalise(t.model(), x);
            for (double v : z) assertThat(Math.abs(v)).isLessThan(3.0);
            MultivariateResult res = t.detector().score(t.model(), x);
            if (res.relationshipScore() >= FIRE) caught++;
            if (res.forestScore() >= FIRE) forestCaught++;
            if (i == 0) {
                System.out.printf("break: relationship %.3f (d %.2f) %s; iforest %.3f%n", res.relationshipScore(),
                        res.distance(), res.relationshipAttribution(), res.forestScore());
                assertThat(res.relationshipAttribution().get(0).feature)
                        .isIn(ServiceFeatures.LOG_RPS, ServiceFeatures.CPU);
            }
        }
        System.out.printf("break caught: relationship %d/%d, iforest %d/%d%n", caught, n, forestCaught, n);
        assertThat(caught).isEqualTo(n);
    }

    @Test
    void normalPointsScoreLowAndRarelyReachTheFireThreshold() {
        Trained t = train(1000, 3);
        Random r = new Random(1234);
        int n = 5000;
        int fFire = 0;
        int rFire = 0;
        int fBelow07 = 0;
        int rBelow07 = 0;
        double fSum = 0;
        for (int i = 0; i < n; i++) {
            MultivariateResult res = t.detector().score(t.model(), normal(r));
            if (res.forestScore() >= FIRE) fFire++;
            if (res.relationshipScore() >= FIRE) rFire++;
            if (res.forestScore() < 0.7) fBelow07++;
            if (res.relationshipScore() < 0.7) rBelow07++;
            fSum += res.forestScore();
        }
        System.out.printf("held-out normal (n=%d): FPR@0.9 iforest %.4f relationship %.4f; <0.7: %.4f / %.4f; "
                + "mean iforest score %.3f%n", n, fFire / (double) n, rFire / (double) n, fBelow07 / (double) n,
                rBelow07 / (double) n, fSum / n);
        assertThat(fFire / (double) n).isLessThanOrEqualTo(0.02);
        assertThat(rFire / (double) n).isLessThanOrEqualTo(0.02);
        assertThat(fBelow07 / (double) n).isGreaterThanOrEqualTo(0.9);
        assertThat(rBelow07 / (double) n).isGreaterThanOrEqualTo(0.9);
        assertThat(fSum / n).isBetween(0.35, 0.65);
    }

    @Test
    void missingFeatureIsImputedWithTheMedian() {
        Trained t = train(300, 21);
        double[] x = normal(new Random(8));
        double[] withoutCpu = x.clone();
        withoutCpu[4] = Double.NaN;
        MultivariateResult res = t.detector().score(t.model(), withoutCpu);
        assertThat(res.forestScore()).isLessThan(0.9);
        assertThat(MultivariateDetector.normalise(t.model(), withoutCpu)[4]).isZero();
    }

    @Test
    void stateAndModelSurviveSerialisationWithIdenticalScores() throws Exception {
        Trained t = train(400, 17);
        MultivariateState s2 = roundTrip(t.state(), MultivariateState.class);
        MultivariateModel m2 = roundTrip(t.model(), MultivariateModel.class);
        assertThat(s2).isEqualTo(t.state());
        assertThat(m2).isEqualTo(t.model());
        // A fresh detector (empty model cache) must deserialise the forest and agree exactly, also over updates
        // that refit.
        MultivariateDetector fresh = new MultivariateDetector(core());
        Random r1 = new Random(77);
        Random r2 = new Random(77);
        MultivariateModel a = t.model();
        MultivariateModel b = m2;
        for (int i = 0; i < 150; i++) {
            MultivariateResult x = t.detector().update(t.state(), a, normal(r1));
            MultivariateResult y = fresh.update(s2, b, normal(r2));
            assertThat(y.forestScore()).isEqualTo(x.forestScore());
            assertThat(y.relationshipScore()).isEqualTo(x.relationshipScore());
            if (x.newModel() != null) a = x.newModel();
            if (y.newModel() != null) b = roundTrip(y.newModel(), MultivariateModel.class);
        }
        assertThat(b).isEqualTo(a);
        assertThat(s2).isEqualTo(t.state());
        System.out.printf("state %d bytes, model %d bytes (forest %d bytes deflated)%n",
                t.state().approximateBytes(), a.approximateBytes(), a.forest.length);
    }

    @Test
    void attributionIsSortedAndSumsToOne() {
        var list = MultivariateDetector.attribution(new double[] {1, 0, 3, Double.NaN, 1});
        assertThat(list).extracting(x -> x.feature)
                .containsExactly(ServiceFeatures.ERROR_RATE, ServiceFeatures.LOG_P50, ServiceFeatures.CPU);
        assertThat(list).extracting((Attribution x) -> x.contribution).containsExactly(0.6, 0.2, 0.2);
    }

    /**
     * A service with a daily rhythm (×1.4 in the evening, ×0.6 at night) and +3 % traffic a day, one window a
     * minute; CPU follows the load, p99 rises with its cube (queueing). On day 10 at noon p99 is 4× its usual
     * level for 10 minutes — still inside the range of the evening peaks. On raw features that is an ordinary
     * window (the isolation forest sees a busy-hour latency); relative to each feature's seasonal baseline it is
     * far from normal for noon and fires, attributed to p99, while three normal days stay quiet.
     */
    @Test
    void contextualLatencyAnomalyIsCaughtAgainstSeasonalBaselinesWhileNormalDaysStayQuiet() throws Exception {
        long day = 86_400_000L;
        int days = 10;
        int[] fired = new int[2]; // windows >= 0.9 on the last 3 days (normal), raw vs baseline mode
        double[] faultScore = new double[2];
        String[] faultTop = new String[2];
        for (int mode = 0; mode < 2; mode++) {
            boolean baseline = mode == 1;
            MultivariateConfig c = MultivariateConfig.defaults().with(b -> {
                b.minHistory = 1440;
                b.keepSerialisedForest = false;
                b.seasonalBaseline = baseline;
            });
            MultivariateDetector d = new MultivariateDetector(c, 2);
            MultivariateState s = new MultivariateState();
            MultivariateModel m = null;
            Random r = new Random(42);
            long fault = 9 * day + 12 * 3_600_000L;
            for (long ts = 0; ts < days * day; ts += 60_000) {
                double hour = (ts % day) / 3_600_000.0;
                double load = (1 + 0.4 * Math.cos(2 * Math.PI * (hour - 20) / 24)) * (1 + 0.03 * ts / day);
                double rps = 100 * load * Math.exp(0.03 * r.nextGaussian());
                double cpu = 0.25 * load + 0.01 * r.nextGaussian();
                double p99 = 80 * (1 + load * load * load) * Math.exp(0.08 * r.nextGaussian());
                boolean inFault = ts >= fault && ts < fault + 10 * 60_000;
                if (inFault) p99 *= 4;
                double[] x = ServiceFeatures.vector(20 * Math.exp(0.05 * r.nextGaussian()), p99,
                        Math.max(0, 0.01 + 0.002 * r.nextGaussian()), rps, cpu);
                MultivariateResult res = d.update(s, m, ts, x);
                if (res.newModel() != null) m = res.newModel();
                if (ts >= 7 * day && !inFault && ts < fault - 3_600_000L | ts > fault + 3_600_000L) {
                    if (res.forestScore() >= FIRE || res.relationshipScore() >= FIRE) fired[mode]++;
                }
                if (inFault && res.forestScore() > faultScore[mode]) {
                    faultScore[mode] = res.forestScore();
                    faultTop[mode] = res.forestAttribution().isEmpty() ? "-" : res.forestAttribution().get(0).feature;
                }
            }
            if (mode == 1) {
                assertThat(s.baselines).hasSize(ServiceFeatures.DIM);
                assertThat(roundTrip(s, MultivariateState.class)).isEqualTo(s);
            }
        }
        System.out.printf("context: windows >= 0.9 on 3 normal days raw %d, baseline %d; p99x4 at noon raw %.3f (%s), "
                + "baseline %.3f (%s)%n", fired[0], fired[1], faultScore[0], faultTop[0], faultScore[1], faultTop[1]);
        assertThat(faultScore[0]).isLessThan(FIRE); // what raw features miss
        assertThat(faultScore[1]).isGreaterThanOrEqualTo(0.99);
        assertThat(faultTop[1]).isEqualTo(ServiceFeatures.LOG_P99);
        assertThat(fired[1]).isLessThanOrEqualTo(5); // of 4,320 normal windows
    }

    /**
     * Upgrading a job whose multivariate state predates the seasonal baselines: its sample holds raw features and
     * its model was fitted on them. The new detector must not score with that model or mix the vectors: it learns
     * again from an empty sample and fits a model of its own kind.
     */
    @Test
    void stateAndModelOfRawFeaturesAreRelearntWithSeasonalBaselines() {
        Trained old = train(300, 9);
        assertThat(old.model().seasonalBaseline).isFalse();
        MultivariateConfig c = MultivariateConfig.defaults().with(b -> b.minHistory = 60);
        MultivariateDetector d = new MultivariateDetector(c);
        MultivariateState s = old.state();
        MultivariateModel m = old.model();
        Random r = new Random(10);
        MultivariateResult first = d.update(s, m, 0, normal(r));
        assertThat(first.learning()).isTrue();
        assertThat(s.rows).isZero();
        assertThat(s.baselines).hasSize(ServiceFeatures.DIM);
        MultivariateModel fitted = null;
        for (int i = 1; fitted == null && i < 200; i++) {
            MultivariateResult res = d.update(s, m, i * 60_000L, normal(r)); // the caller still passes the old model
            assertThat(res.learning()).isTrue();
            fitted = res.newModel();
        }
        assertThat(fitted).isNotNull();
        assertThat(fitted.seasonalBaseline).isTrue();
        // Fitted on the min-history windows admitted after the reset only (none of the 300 raw rows).
        assertThat(fitted.trainingSize).isEqualTo(60);
        assertThat(d.update(s, fitted, 200 * 60_000L, normal(r)).learning()).isFalse();
    }

    static <T> T roundTrip(T value, Class<T> type) throws Exception {
        TypeSerializer<T> ser = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(1 << 16);
        ser.serialize(value, out);
        return ser.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
