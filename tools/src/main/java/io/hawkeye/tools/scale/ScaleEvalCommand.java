package io.hawkeye.tools.scale;

import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.tools.Charts;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.UserError;
import io.hawkeye.tools.scale.ScaleReplay.Outcome;
import io.hawkeye.tools.scale.TraceReplay.Result;
import io.hawkeye.tools.scale.TraceReplay.Sizing;
import io.hawkeye.tools.scale.TraceReplay.Trace;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scale-eval}: a recorded request-rate trace as the load of one service, under the job's own predictive
 * scaler ({@link io.hawkeye.jobs.scale.ScalingPlanner} in enforce mode, through Flink's operator test harness) and
 * a reactive Kubernetes HPA side by side on the M/M/c twin ({@link TraceReplay}, {@link ScaleReplay}). Reports per
 * day and overall SLO-violation minutes, replica-minutes, scale events and the forecaster's MAE and interval
 * coverage (the planner's forecast scores), and optionally writes the report (Markdown) and a chart (PNG). The last
 * line of stdout is machine-readable:
 * {@code overall violation_min_predictive=N violation_min_hpa=M fewer_pct=P replica_min_diff_pct=Q}.
 */
@Command(name = "scale-eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a request-rate trace (timestamp,value) as one service's load: the predictive scaler "
                + "against a reactive HPA on the M/M/c twin.",
            "Service time lognormal (median --service-time, sigma 0.5); the trace is scaled so that its p95 needs "
                + "--replicas-at-p95 replicas at utilisation 0.7. Gaps are interpolated linearly (missing "
                + "monitoring, not missing traffic)."})
public final class ScaleEvalCommand extends ToolCommand {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm")
            .withZone(ZoneOffset.UTC);

    @Option(names = "--trace", required = true, paramLabel = "TRACE.csv",
            description = "timestamp,value rows (extra columns ignored), resolution 1 s to 1 h.")
    Path trace;

    @Option(names = "--service-time", paramLabel = "DURATION", defaultValue = "40ms",
            description = "Median service time of one request (lognormal, sigma 0.5) (default: ${DEFAULT-VALUE}).")
    Duration serviceTime;

    @Option(names = "--replicas-at-p95", paramLabel = "N", defaultValue = "10",
            description = "Replicas the trace's p95 rate needs at utilisation 0.7 (default: ${DEFAULT-VALUE}).")
    int replicasAtP95;

    @Option(names = "--startup", paramLabel = "DURATION", defaultValue = "5m",
            description = "Delay until a new replica serves, for both controllers (default: ${DEFAULT-VALUE}).")
    Duration startup;

    @Option(names = "--min-replicas", paramLabel = "N", defaultValue = "1", description = "For both (default: ${DEFAULT-VALUE}).")
    int minReplicas;

    @Option(names = "--max-replicas", paramLabel = "N", defaultValue = "100", description = "For both (default: ${DEFAULT-VALUE}).")
    int maxReplicas;

    @Option(names = "--hpa-target", paramLabel = "UTILISATION", defaultValue = "0.7", description = "The HPA's target CPU utilisation; lower it "
            + "to compare at equal replica-minutes (the sizing keeps 0.7) (default: ${DEFAULT-VALUE}).")
    double hpaTarget;

    @Option(names = "--seed", paramLabel = "SEED", defaultValue = "1", description = "Seed of the observation noise (default: "
            + "${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--plot", paramLabel = "OUT.png", description = "Chart: load, both replica curves, violation "
            + "minutes per hour.")
    Path plot;

    @Option(names = "--output", paramLabel = "REPORT.md", description = "The report as Markdown.")
    Path output;

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws Exception {
        if (serviceTime.isZero()) throw new UserError("--service-time must be > 0");
        if (replicasAtP95 < 1) throw new UserError("--replicas-at-p95 must be at least 1");
        if (minReplicas < 1 || maxReplicas < minReplicas) {
            throw new UserError("--min-replicas must be at least 1 and at most --max-replicas");
        }
        if (!(hpaTarget > 0 && hpaTarget <= 1)) throw new UserError("--hpa-target must be in (0, 1]");
        if (replicasAtP95 > maxReplicas) throw new UserError("--replicas-at-p95 is above --max-replicas");
        Charts.checkOutput(plot, "--plot");
        Charts.checkOutput(output, "--output");
        Trace t = TraceReplay.parse("--trace " + trace, Files.readAllLines(trace, StandardCharsets.UTF_8));
        Sizing s = TraceReplay.size(t, serviceTime.toNanos() / 1e6, replicasAtP95, minReplicas, maxReplicas);
        long wall = System.nanoTime();
        int totalDays = (int) ((t.ts()[t.ts().length - 1] / 60_000 - t.ts()[0] / 60_000) / 1440) + 1;
        Result r = TraceReplay.run(t, s, new TraceReplay.Settings(startup, minReplicas, maxReplicas, seed,
                hpaTarget), day -> {
            double sec = (System.nanoTime() - wall) / 1e9;
            if (sec >= 2) {
                err.printf(Locale.ROOT, "scale-eval: day %d/%d replayed (%.0f s)%n", day, totalDays, sec);
                err.flush();
            }
        });
        String report = report(t, s, r);
        out.print(report);
        out.flush();
        if (output != null) Files.writeString(output, report, StandardCharsets.UTF_8);
        if (plot != null) {
            ScaleChart.write(r, String.format(Locale.ROOT, "%s: N=%d at p95, startup %s", trace.getFileName(),
                    replicasAtP95, startup), plot);
        }
        out.println(lastLine(r));
        out.flush();
        return 0;
    }

    static long sum(long[] a) {
        long s = 0;
        for (long x : a) s += x;
        return s;
    }

    static int sum(int[] a) {
        int s = 0;
        for (int x : a) s += x;
        return s;
    }

    /** {@code overall violation_min_predictive=N violation_min_hpa=M fewer_pct=P replica_min_diff_pct=Q}. */
    static String lastLine(Result r) {
        long vp = sum(r.predictive.violationMinutes);
        long vh = sum(r.hpa.violationMinutes);
        long rp = sum(r.predictive.replicaMinutes);
        long rh = sum(r.hpa.replicaMinutes);
        return String.format(Locale.ROOT, "overall violation_min_predictive=%d violation_min_hpa=%d fewer_pct=%.1f"
                + " replica_min_diff_pct=%.1f", vp, vh, fewerPct(vp, vh), 100.0 * (rp - rh) / rh);
    }

    /** How many percent fewer violation minutes than the HPA: 0 when both have none, −100 per minute when only the predictive has some. */
    static double fewerPct(long predictive, long hpa) {
        if (hpa == 0) return predictive == 0 ? 0 : -100.0 * predictive;
        return 100.0 * (hpa - predictive) / hpa;
    }

    private String report(Trace t, Sizing s, Result r) {
        StringBuilder b = new StringBuilder();
        long gaps = t.missingPoints();
        b.append(String.format(Locale.ROOT, "# scale-eval %s%n%n", trace));
        b.append(String.format(Locale.ROOT, "- trace: %d points from %s to %s UTC, step %s; %d missing points on the"
                        + " step grid (%d rows without a value), longest interval %s; gaps interpolated linearly%n",
                t.ts().length, DAY.format(Instant.ofEpochMilli(t.ts()[0])),
                DAY.format(Instant.ofEpochMilli(t.ts()[t.ts().length - 1])), Duration.ofMillis(t.stepMs()), gaps,
                t.missingValues(), Duration.ofMillis(t.longestGapMs())));
        b.append(String.format(Locale.ROOT, "- service: lognormal service time, median %.1f ms, sigma %.1f (mean %.1f"
                        + " ms, mu %.2f/s per replica); SLO p99 <= %.0f ms; timeout %.0f ms%n",
                s.serviceTime().medianMs(), s.serviceTime().sigma(), s.serviceTime().meanMs(), s.mu(), s.slo() * 1000,
                TraceReplay.TIMEOUT_MS));
        b.append(String.format(Locale.ROOT, "- load: trace x %.4g, so its p95 (%.4g) is %.1f req/s = %d replicas at"
                        + " utilisation 0.7; initial replicas %d; replicas %d..%d; start-up %s; HPA target utilisation %.2f; seed %d%n",
                s.scale(), s.p95(), s.p95() * s.scale(), s.replicasAtP95(), s.initialReplicas(), minReplicas,
                maxReplicas, startup, hpaTarget, seed));
        b.append(String.format(Locale.ROOT, "- controllers decide once a minute; judge step %d s%n%n",
                s.judgeStepSeconds()));
        b.append("| day | from (UTC) | minutes | violation min predictive | violation min HPA | replica-min predictive |"
                + " replica-min HPA | scale events predictive (up/down) | scale events HPA (up/down) |"
                + " forecast MAE req/s | seasonal-naive MAE req/s | p10-p90 coverage |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        Outcome p = r.predictive;
        Outcome h = r.hpa;
        ForecastScore prev = null;
        for (int d = 0; d < r.days; d++) {
            ForecastScore cur = r.scoreAtDayEnd[d];
            b.append(String.format(Locale.ROOT, "| %d | %s | %d | %d | %d | %,d | %,d | %d (%d/%d) | %d (%d/%d) | %s |"
                            + " %s | %s |%n", d + 1, DAY.format(Instant.ofEpochMilli(r.start + d * ScaleReplay.DAY)),
                    p.minutes[d], p.violationMinutes[d], h.violationMinutes[d], p.replicaMinutes[d],
                    h.replicaMinutes[d], p.ups[d] + p.downs[d], p.ups[d], p.downs[d], h.ups[d] + h.downs[d], h.ups[d],
                    h.downs[d], scoreMae(prev, cur, s), naiveMae(prev, cur, s), coverage(prev, cur)));
            if (cur != null) prev = cur;
        }
        long vp = sum(p.violationMinutes);
        long vh = sum(h.violationMinutes);
        long rp = sum(p.replicaMinutes);
        long rh = sum(h.replicaMinutes);
        ForecastScore last = prev;
        b.append(String.format(Locale.ROOT, "| **all** | | %d | **%d** | **%d** | %,d | %,d | %d (%d/%d) | %d (%d/%d) |"
                        + " %s | %s | %s |%n%n", sum(p.minutes), vp, vh, rp, rh, p.scaleUps + p.scaleDowns, p.scaleUps,
                p.scaleDowns, h.scaleUps + h.scaleDowns, h.scaleUps, h.scaleDowns, scoreMae(null, last, s),
                naiveMae(null, last, s), coverage(null, last)));
        long vpAfter = vp - p.violationMinutes[0];
        long vhAfter = vh - h.violationMinutes[0];
        String fromDay2 = r.days < 2 ? "" : String.format(Locale.ROOT, "; from day 2 (after the forecaster's first"
                + " day): %d vs %d (%.1f%% fewer)", vpAfter, vhAfter, fewerPct(vpAfter, vhAfter));
        b.append(String.format(Locale.ROOT, "SLO-violation minutes: predictive %d, HPA %d (%.1f%% fewer)%s."
                        + " Replica-minutes: %,d vs %,d (%+.1f%%). Forecast MAE and seasonal-naive MAE in req/s of the scaled load, over the"
                        + " forecasts scored that day (seasonal naive on the targets that have a value a day"
                        + " earlier); the first day is the forecaster's LEARNING phase (the planner sizes reactively).%n",
                vp, vh, fewerPct(vp, vh), fromDay2, rp, rh,
                100.0 * (rp - rh) / rh));
        return b.toString();
    }

    private static String scoreMae(ForecastScore prev, ForecastScore cur, Sizing s) {
        if (cur == null) return "-";
        long c0 = prev == null ? 0 : prev.count;
        double s0 = prev == null ? 0 : prev.mae * prev.count;
        if (cur.count <= c0) return "-";
        return String.format(Locale.ROOT, "%.3g", (cur.mae * cur.count - s0) / (cur.count - c0));
    }

    private static String naiveMae(ForecastScore prev, ForecastScore cur, Sizing s) {
        if (cur == null || Double.isNaN(cur.maeSeasonalNaive)) return "-";
        long c0 = prev == null || Double.isNaN(prev.maeSeasonalNaive) ? 0 : prev.naiveCount;
        double s0 = c0 == 0 ? 0 : prev.maeSeasonalNaive * prev.naiveCount;
        if (cur.naiveCount <= c0) return "-";
        return String.format(Locale.ROOT, "%.3g", (cur.maeSeasonalNaive * cur.naiveCount - s0) / (cur.naiveCount - c0));
    }

    private static String coverage(ForecastScore prev, ForecastScore cur) {
        if (cur == null || Double.isNaN(cur.coverage)) return "-";
        long c0 = prev == null || Double.isNaN(prev.coverage) ? 0 : prev.intervalCount;
        double s0 = c0 == 0 ? 0 : prev.coverage * prev.intervalCount;
        if (cur.intervalCount <= c0) return "-";
        return String.format(Locale.ROOT, "%.2f", (cur.coverage * cur.intervalCount - s0) / (cur.intervalCount - c0));
    }
}
