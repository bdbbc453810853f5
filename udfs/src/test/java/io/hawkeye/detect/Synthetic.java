package io.hawkeye.detect;

import java.util.Random;

/** Deterministic synthetic series with a daily and weekly rhythm, a normal daily spike and injected anomalies. */
final class Synthetic {
    static final long T0 = java.time.Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
    static final long STEP = 5 * 60_000L;
    static final int PER_DAY = 288;

    final double[] value;
    final boolean[] label;
    final long[] ts;

    Synthetic(int days, long seed, boolean inject) {
        int n = days * PER_DAY;
        value = new double[n];
        label = new boolean[n];
        ts = new long[n];
        Random rnd = new Random(seed);
        double shift = 0;
        for (int i = 0; i < n; i++) {
            ts[i] = T0 + i * STEP;
            double tod = (i % PER_DAY) / (double) PER_DAY;
            int dow = (i / PER_DAY) % 7;
            double base = 100 + 60 * Math.sin(2 * Math.PI * (tod - 0.25)) * (dow >= 5 ? 0.5 : 1.0);
            // Normal periodic spike: a batch job every day at 03:00 for 10 minutes doubles the value.
            int minuteOfDay = (i % PER_DAY) * 5;
            if (minuteOfDay >= 180 && minuteOfDay < 190) base *= 2;
            value[i] = base * (1 + shift) + rnd.nextGaussian() * 4;
        }
        if (!inject) return;
        // Spike: day 15 at 14:00, 3 windows at +80 %.
        mark(15 * PER_DAY + 168, 3, i -> value[i] *= 1.8);
        // Drop to zero: day 16 at 11:00, 6 windows.
        mark(16 * PER_DAY + 132, 6, i -> value[i] = 0);
        // Level shift: day 19 at 08:00, +40 % for the rest of the run (labelled for the 30 windows it takes to become the new normal).
        int s = 19 * PER_DAY + 96;
        for (int i = s; i < n; i++) value[i] *= 1.4;
        for (int i = s; i < s + 30; i++) label[i] = true;
        // Dip: day 17 at 20:00, 4 windows at -50 %.
        mark(17 * PER_DAY + 240, 4, i -> value[i] *= 0.5);
    }

    private void mark(int start, int len, java.util.function.IntConsumer f) {
        for (int i = start; i < start + len; i++) {
            f.accept(i);
            label[i] = true;
        }
    }
}
