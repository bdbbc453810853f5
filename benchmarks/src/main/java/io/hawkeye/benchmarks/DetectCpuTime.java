package io.hawkeye.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The operations of {@link DetectBenchmark}, timed in <b>thread CPU time</b> per operation as well as wall time.
 *
 * <p>Why: on a shared, overloaded machine (load average 15–25 on 2 cores while these numbers were taken) a
 * wall-clock benchmark measures mostly the time the thread spends descheduled — JMH's averages then vary by 10×
 * between iterations. The CPU time the thread itself consumed per operation is what the operation costs; it is
 * still inflated somewhat by cache and SMT interference from the other processes, so it is an upper bound on the
 * cost on an idle machine, but a stable one. JMH ({@code benchmarks/run.sh jmh Detect}) remains the reference on
 * a quiet machine.
 *
 * <p>Method: one thread; {@link DetectBenchmark#setup()} once; per operation a warm-up of
 * {@code --warmup-ms} of CPU time, then {@code --rounds} rounds of at least {@code --round-ms} CPU time each;
 * reports the median and the minimum round (ns or µs per operation, CPU) and the median wall time per operation.
 *
 * <pre>java -cp ... io.hawkeye.benchmarks.DetectCpuTime [--warmup-ms 2000] [--round-ms 1000] [--rounds 5]
 *     [name-substring ...]</pre>
 */
public final class DetectCpuTime {
    private static volatile Object sink;

    private DetectCpuTime() {}

    public static void main(String[] args) throws Exception {
        long warmupMs = 2000;
        long roundMs = 1000;
        int rounds = 5;
        List<String> filters = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup-ms" -> warmupMs = Long.parseLong(args[++i]);
                case "--round-ms" -> roundMs = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> filters.add(args[i]);
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isCurrentThreadCpuTimeSupported()) throw new IllegalStateException("no thread CPU time here");
        mx.setThreadCpuTimeEnabled(true);

        Map<String, Callable<Object>> ops = new LinkedHashMap<>();
        // One DetectBenchmark per operation, as JMH forks one JVM per benchmark: operations that mutate state
        // (multivariateUpdate, seasonalUpdate, rules) do not see each other's effects.
        String[] names = {"seasonalUpdate", "seasonalStateRoundTrip", "iforestScore", "relationshipScore",
            "multivariateScore", "multivariateStateRoundTrip", "multivariateModelRead", "multivariateUpdate", "refit",
            "forestDeserialise", "rulesDefault", "rules20", "alertLifecycleStep", "alertToJson"};
        for (String n : names) {
            if (!filters.isEmpty() && filters.stream().noneMatch(n::contains)) continue;
            ops.put(n, op(n));
        }
        System.out.printf(Locale.ROOT, "# load average at start: %s; warm-up %d ms, %d rounds of >= %d ms CPU%n",
                loadAverage(), warmupMs, rounds, roundMs);
        System.out.println("| operation | CPU per op, median | CPU per op, min | wall per op, median | ops per round |");
        System.out.println("|---|---:|---:|---:|---:|");
        for (Map.Entry<String, Callable<Object>> e : ops.entrySet()) {
            Callable<Object> op = e.getValue();
            run(mx, op, warmupMs * 1_000_000L);
            double[] cpu = new double[rounds];
            double[] wall = new double[rounds];
            long n = 0;
            for (int r = 0; r < rounds; r++) {
                long[] m = run(mx, op, roundMs * 1_000_000L);
                cpu[r] = (double) m[1] / m[0];
                wall[r] = (double) m[2] / m[0];
                n = m[0];
            }
            Arrays.sort(cpu);
            Arrays.sort(wall);
            System.out.printf(Locale.ROOT, "| `%s` | %s | %s | %s | %,d |%n", e.getKey(), fmt(cpu[rounds / 2]),
                    fmt(cpu[0]), fmt(wall[rounds / 2]), n);
        }
        System.out.printf(Locale.ROOT, "# load average at end: %s%n", loadAverage());
    }

    private static Callable<Object> op(String name) throws Exception {
        DetectBenchmark b = new DetectBenchmark();
        b.setup();
        // A direct call per operation (no reflection in the timed loop).
        return switch (name) {
            case "seasonalUpdate" -> b::seasonalUpdate;
            case "seasonalStateRoundTrip" -> b::seasonalStateRoundTrip;
            case "iforestScore" -> b::iforestScore;
            case "relationshipScore" -> b::relationshipScore;
            case "multivariateScore" -> b::multivariateScore;
            case "multivariateStateRoundTrip" -> b::multivariateStateRoundTrip;
            case "multivariateModelRead" -> b::multivariateModelRead;
            case "multivariateUpdate" -> b::multivariateUpdate;
            case "refit" -> b::refit;
            case "forestDeserialise" -> b::forestDeserialise;
            case "rulesDefault" -> b::rulesDefault;
            case "rules20" -> b::rules20;
            case "alertLifecycleStep" -> b::alertLifecycleStep;
            case "alertToJson" -> b::alertToJson;
            default -> throw new IllegalArgumentException("no benchmark " + name);
        };
    }

    /** Runs {@code op} until the thread has used {@code cpuNanos}; returns {ops, cpu ns, wall ns}. */
    static long[] run(ThreadMXBean mx, Callable<Object> op, long cpuNanos) throws Exception {
        long c0 = mx.getCurrentThreadCpuTime();
        long w0 = System.nanoTime();
        long n = 0;
        long c;
        int batch = 1;
        do {
            for (int i = 0; i < batch; i++) sink = op.call();
            n += batch;
            c = mx.getCurrentThreadCpuTime() - c0;
            // Check the clock about every 10 ms of CPU time once the cost per op is known.
            if (c > 0 && n > 0) batch = (int) Math.max(1, Math.min(1 << 20, 10_000_000L * n / c / 2));
        } while (c < cpuNanos);
        return new long[] {n, c, System.nanoTime() - w0};
    }

    static String fmt(double ns) {
        if (ns < 1_000) return String.format(Locale.ROOT, "%.0f ns", ns);
        if (ns < 1_000_000) return String.format(Locale.ROOT, "%.2f µs", ns / 1e3);
        return String.format(Locale.ROOT, "%.1f ms", ns / 1e6);
    }

    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "?";
        }
    }
}
