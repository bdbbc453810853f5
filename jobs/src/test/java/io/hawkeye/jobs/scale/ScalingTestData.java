package io.hawkeye.jobs.scale;

import io.hawkeye.jobs.testing.MetricWindows;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import java.time.Instant;
import java.util.Random;

/**
 * Deterministic synthetic load of one service with a daily cycle: 1-minute windows from {@link #T0} (a Monday,
 * UTC), rps = 330 + 270·cos(2π(t − 14:00)/24 h) (peak 600 rps at 14:00, trough 60 rps at 02:00) with 3%
 * lognormal noise, a true per-replica service rate of {@link #MU} and CPU utilisation = rps / (replicas·μ) with
 * 2% noise. The noise of window i is a function of (seed, i) only, so a closed loop can generate windows one by
 * one with the replicas it chose.
 */
final class ScalingTestData {
    static final long T0 = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();
    static final long MINUTE = 60_000;
    static final long DAY = 1440 * MINUTE;
    static final double MU = 50;
    static final long PEAK_OFFSET = 14 * 60 * MINUTE;

    private ScalingTestData() {}

    static long start(int i) {
        return T0 + i * MINUTE;
    }

    static double trueRps(int i) {
        long tod = Math.floorMod(start(i), DAY);
        return 330 + 270 * Math.cos(2 * Math.PI * (tod - PEAK_OFFSET) / DAY);
    }

    static double rps(int i, long seed) {
        return trueRps(i) * Math.exp(0.03 * new Random(seed * 1_000_003L + i).nextGaussian());
    }

    static double cpu(int i, long seed, int replicas) {
        double noise = 1 + 0.02 * new Random(seed * 7_000_003L + i).nextGaussian();
        return Math.max(0, Math.min(1, rps(i, seed) / (replicas * MU) * noise));
    }

    static ServiceLoad load(String service, int i, long seed, int replicas) {
        return ServiceLoad.of(service, start(i), start(i) + MINUTE, rps(i, seed), 100, replicas,
                cpu(i, seed, replicas));
    }

    static WindowStats windowStats(String service, int i, long seed) {
        WindowStats w = new WindowStats();
        w.scope = WindowStats.SCOPE_SERVICE;
        w.service = service;
        w.endpoint = WindowStats.ALL_ENDPOINTS;
        w.seriesId = WindowStats.seriesId(service, w.endpoint);
        w.windowStart = start(i);
        w.windowEnd = start(i) + MINUTE;
        w.rps = rps(i, seed);
        w.count = Math.round(w.rps * 60);
        w.p99Ms = 100;
        w.relativeAccuracy = 0.01;
        return w;
    }

    static MetricStats metric(String service, String name, int i, double value) {
        return MetricWindows.steady(service, name, start(i), start(i) + MINUTE, 6, value);
    }
}
