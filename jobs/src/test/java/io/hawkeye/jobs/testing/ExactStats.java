package io.hawkeye.jobs.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact reference for window statistics: keeps every latency of every (series, window) and checks a
 * {@link WindowStats} against it — counts and extremes exactly, percentiles within the sketch's relative
 * accuracy of the exact order statistics.
 */
public final class ExactStats {
    private final long windowMillis;
    private final Map<String, List<double[]>> values = new HashMap<>(); // key -> [latency, error]

    public ExactStats(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    public static String key(String service, String endpoint, long windowStart) {
        return service + "|" + endpoint + "|" + windowStart;
    }

    public void add(Span s) {
        long start = s.ts - Math.floorMod(s.ts, windowMillis);
        double[] v = {s.durationMs, s.error ? 1 : 0};
        values.computeIfAbsent(key(s.service, s.endpoint, start), k -> new ArrayList<>()).add(v);
        values.computeIfAbsent(key(s.service, WindowStats.ALL_ENDPOINTS, start), k -> new ArrayList<>()).add(v);
    }

    public int seriesWindows() {
        return values.size();
    }

    /** Asserts one result against the exact values; returns the largest relative error of its percentiles. */
    public double check(WindowStats w) {
        List<double[]> vs = values.get(key(w.service, w.endpoint, w.windowStart));
        assertThat(vs).as("exact values for %s", w).isNotNull();
        double[] sorted = vs.stream().mapToDouble(v -> v[0]).sorted().toArray();
        long errors = vs.stream().filter(v -> v[1] > 0).count();
        int n = sorted.length;
        assertThat(w.count).as("count of %s", w).isEqualTo(n);
        assertThat(w.errors).as("errors of %s", w).isEqualTo(errors);
        assertThat(w.minMs).isEqualTo(sorted[0]);
        assertThat(w.maxMs).isEqualTo(sorted[n - 1]);
        assertThat(w.meanMs).isCloseTo(Arrays.stream(sorted).average().orElseThrow(),
                org.assertj.core.data.Offset.offset(1e-6 * sorted[n - 1]));
        assertThat(w.windowEnd - w.windowStart).isEqualTo(windowMillis);
        double worst = 0;
        double[] got = {w.p50Ms, w.p90Ms, w.p95Ms, w.p99Ms, w.p999Ms};
        for (int i = 0; i < WindowStats.QUANTILES.length; i++) {
            double q = WindowStats.QUANTILES[i];
            double lower = sorted[(int) Math.floor(q * (n - 1))];
            double upper = sorted[(int) Math.ceil(q * (n - 1))];
            double a = w.relativeAccuracy;
            assertThat(got[i]).as("q=%s of %s, exact in [%s, %s]", q, w, lower, upper)
                    .isBetween(lower * (1 - a) - 1e-9, upper * (1 + a) + 1e-9);
            double err = got[i] < lower ? (lower - got[i]) / lower : got[i] > upper ? (got[i] - upper) / upper : 0;
            worst = Math.max(worst, err);
        }
        return worst;
    }
}
