package io.hawkeye.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The operations of {@link RecordJsonBenchmark} in thread CPU time per operation, for a loaded machine (the
 * method and its caveats are those of {@link DetectCpuTime}). The operations run interleaved, round by round, so
 * that a change in the machine's load hits the codec and the legacy code alike.
 *
 * <pre>benchmarks/run.sh json-cpu [--warmup-ms 2000] [--round-ms 1000] [--rounds 7]</pre>
 */
public final class RecordJsonCpuTime {
    private RecordJsonCpuTime() {}

    public static void main(String[] args) throws Exception {
        long warmupMs = 2000;
        long roundMs = 1000;
        int rounds = 7;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup-ms" -> warmupMs = Long.parseLong(args[++i]);
                case "--round-ms" -> roundMs = Long.parseLong(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!mx.isCurrentThreadCpuTimeSupported()) throw new IllegalStateException("no thread CPU time here");
        mx.setThreadCpuTimeEnabled(true);

        RecordJsonBenchmark b = new RecordJsonBenchmark();
        b.setup();
        Map<String, Callable<Object>> ops = new LinkedHashMap<>();
        ops.put("toJson", b::toJson);
        ops.put("legacyToJson", b::legacyToJson);
        ops.put("fromJson", b::fromJson);
        ops.put("legacyFromJson", b::legacyFromJson);

        System.out.printf(Locale.ROOT, "# load average at start: %s; warm-up %d ms, %d rounds of >= %d ms CPU%n",
                DetectCpuTime.loadAverage(), warmupMs, rounds, roundMs);
        for (Callable<Object> op : ops.values()) DetectCpuTime.run(mx, op, warmupMs * 1_000_000L);
        Map<String, double[]> cpu = new LinkedHashMap<>();
        Map<String, double[]> wall = new LinkedHashMap<>();
        for (String n : ops.keySet()) {
            cpu.put(n, new double[rounds]);
            wall.put(n, new double[rounds]);
        }
        for (int r = 0; r < rounds; r++) {
            for (Map.Entry<String, Callable<Object>> e : ops.entrySet()) {
                long[] m = DetectCpuTime.run(mx, e.getValue(), roundMs * 1_000_000L);
                cpu.get(e.getKey())[r] = (double) m[1] / m[0];
                wall.get(e.getKey())[r] = (double) m[2] / m[0];
            }
        }
        System.out.println("| operation | CPU per op, median | CPU per op, min | wall per op, median |");
        System.out.println("|---|---:|---:|---:|");
        for (String n : ops.keySet()) {
            double[] c = cpu.get(n);
            double[] w = wall.get(n);
            Arrays.sort(c);
            Arrays.sort(w);
            System.out.printf(Locale.ROOT, "| `%s` | %s | %s | %s |%n", n, DetectCpuTime.fmt(c[rounds / 2]),
                    DetectCpuTime.fmt(c[0]), DetectCpuTime.fmt(w[rounds / 2]));
        }
        System.out.printf(Locale.ROOT, "# load average at end: %s%n", DetectCpuTime.loadAverage());
    }
}
