package io.hawkeye.sketch;

import static org.assertj.core.api.Assertions.assertThat;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.hawkeye.stats.StatsAccumulator;
import io.hawkeye.stats.StatsSnapshot;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Accuracy and mergeability of Hawkeye's sketches against exact quantiles, in the style of DataDog's own
 * contract tests: every quantile must lie within the relative accuracy of the exact value at that rank, and
 * merging partial sketches must give exactly the sketch of one pass.
 */
class SketchAccuracyTest {
    static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};

    static Stream<Arguments> distributions() {
        return Stream.of(
                Arguments.of("lognormal(median 20ms, sigma 1)", (Dist) r -> () -> 20 * Math.exp(r.nextGaussian())),
                Arguments.of("pareto(xm 1ms, alpha 1.5)", (Dist) r -> () -> 1.0 / Math.pow(1 - r.nextDouble(), 1 / 1.5)),
                Arguments.of("bimodal(5ms cache hit / 250ms miss)", (Dist) r -> () -> r.nextDouble() < 0.8
                        ? 5 * Math.exp(0.2 * r.nextGaussian())
                        : 250 * Math.exp(0.3 * r.nextGaussian())),
                Arguments.of("with zeros and sub-ms values", (Dist) r -> () -> r.nextDouble() < 0.05 ? 0.0
                        : 0.05 * Math.exp(2 * r.nextGaussian())));
    }

    interface Dist {
        DoubleSupplier sampler(SplittableRandom r);
    }

    @ParameterizedTest(name = "{0} at {1}")
    @MethodSource("cases")
    void quantilesWithinRelativeAccuracy(String name, double accuracy, Dist dist) {
        SplittableRandom random = new SplittableRandom(42);
        DoubleSupplier sampler = dist.sampler(random);
        int n = 200_000;
        double[] values = new double[n];
        DDSketch sketch = Sketches.create(accuracy);
        for (int i = 0; i < n; i++) {
            values[i] = sampler.getAsDouble();
            sketch.accept(values[i]);
        }
        Arrays.sort(values);
        // Round-trip through the serialised form, as the pipeline does.
        DDSketch decoded = Sketches.fromBytes(Sketches.toBytes(sketch));
        for (double q : QUANTILES) {
            double lower = values[(int) Math.floor(q * (n - 1))];
            double upper = values[(int) Math.ceil(q * (n - 1))];
            double estimate = decoded.getValueAtQuantile(q);
            assertThat(estimate)
                    .as("%s q=%s exact=[%s, %s]", name, q, lower, upper)
                    .isBetween(lower * (1 - accuracy) - 1e-12, upper * (1 + accuracy) + 1e-12);
        }
        assertThat(decoded.getCount()).isEqualTo(n);
    }

    static Stream<Arguments> cases() {
        return distributions().flatMap(a -> Stream.of(0.01, 0.005, 0.02)
                .map(acc -> Arguments.of(a.get()[0], acc, a.get()[1])));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distributions")
    void mergedPartialsEqualOnePass(String name, Dist dist) {
        SplittableRandom random = new SplittableRandom(7);
        DoubleSupplier sampler = dist.sampler(random);
        StatsAccumulator onePass = new StatsAccumulator(0.01);
        StatsAccumulator[] parts = new StatsAccumulator[7];
        for (int i = 0; i < parts.length; i++) parts[i] = new StatsAccumulator(0.01);
        for (int i = 0; i < 100_000; i++) {
            double v = sampler.getAsDouble();
            long ts = 1_000_000L + i;
            boolean error = v > 100;
            onePass.add(v, ts, error);
            parts[random.nextInt(parts.length)].add(v, ts, error);
        }
        // Merge in a scrambled order, through the serialised form.
        StatsSnapshot merged = new StatsSnapshot();
        for (int i : new int[] {3, 0, 6, 1, 5, 2, 4}) merged.merge(parts[i].snapshot());
        StatsSnapshot single = onePass.snapshot();

        assertThat(merged.count).isEqualTo(single.count);
        assertThat(merged.errors).isEqualTo(single.errors);
        assertThat(merged.min).isEqualTo(single.min);
        assertThat(merged.max).isEqualTo(single.max);
        assertThat(merged.lastTs).isEqualTo(single.lastTs);
        assertThat(merged.lastValue).isEqualTo(single.lastValue);
        assertThat(merged.sum).isCloseTo(single.sum, org.assertj.core.data.Percentage.withPercentage(1e-9));
        DDSketch a = merged.decodeSketch();
        DDSketch b = single.decodeSketch();
        for (double q = 0; q <= 1.0; q += 0.001) {
            assertThat(a.getValueAtQuantile(q)).as("q=%s", q).isEqualTo(b.getValueAtQuantile(q));
        }
    }
}
