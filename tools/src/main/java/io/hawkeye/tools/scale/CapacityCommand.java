package io.hawkeye.tools.scale;

import io.hawkeye.capacity.TwinModel;
import io.hawkeye.tools.Charts;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.TopologyOption;
import io.hawkeye.tools.UserError;
import io.hawkeye.topology.Topology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code capacity}: the digital-twin capacity planner. For each total entry rate, prints per service the
 * arrival rate, utilisation, queueing delay and span latency percentiles, the end-to-end latency of every
 * entry path, and the bottleneck, using {@link TwinModel} (the simulator's M/M/c model). {@code --set}
 * overrides replicas or mean service times for what-if questions. See docs/scaling.md.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true, sortOptions = false,
        description = "What-if capacity planning on a simulator topology with the M/M/c model.")
public final class CapacityCommand extends ToolCommand {

    @Mixin
    TopologyOption topology;

    @Option(names = "--rps", split = ",", paramLabel = "RPS",
            description = "Total entry request rates to evaluate, comma-separated; entries keep their YAML mix. "
                    + "Default: the topology's own rate.")
    List<Double> rps = new ArrayList<>();

    @Option(names = "--set", paramLabel = "SERVICE.FIELD=VALUE",
            description = "Override, repeatable: SERVICE.replicas=N or SERVICE.service_time_ms=MEAN.")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--samples", defaultValue = "" + TwinModel.DEFAULT_SAMPLES,
            description = "Monte Carlo samples per endpoint (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the Monte Carlo (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--plot", paramLabel = "OUT.png", description = "Chart: per service, span p99 and utilisation "
            + "against the entry rate up to the bottleneck's saturation; the evaluated rates marked.")
    Path plot;

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws IOException {
        Topology loaded = Topology.load(topology.topology);
        Topology t;
        try {
            t = TwinModel.withOverrides(loaded, sets);
        } catch (IllegalArgumentException e) { // the message names the --set
            throw new UserError(e.getMessage(), e);
        }
        Charts.checkOutput(plot, "--plot");
        List<Double> levels = rps.isEmpty() ? List.of(TwinModel.baseEntryRps(t)) : rps;
        for (double r : levels) {
            print(out, TwinModel.evaluate(t, r, samples, seed));
        }
        if (plot != null) {
            CapacityChart.write(t, levels, samples, seed, t.name() + ": capacity", plot, err);
            out.println("chart: " + plot);
        }
        return 0;
    }

    static void print(PrintWriter out, TwinModel.Result r) {
        out.printf(Locale.ROOT, "== entry rate %.1f req/s ==%n", r.entryRps());
        out.printf(Locale.ROOT, "%-16s %4s %10s %9s %6s %7s %10s %10s %10s %10s %12s%n", "service", "c", "λ req/s",
                "μ/replica", "ρ", "P(wait)", "wait mean", "wait p99", "span p50", "span p99", "saturates at");
        for (TwinModel.ServiceResult s : r.services().values()) {
            out.printf(Locale.ROOT, "%-16s %4d %10.1f %9.1f %6.3f %7.3f %10s %10s %10s %10s %12s%s%n", s.service(),
                    s.replicas(), s.arrivalRate(), s.serviceRate(), s.utilisation(), s.probabilityOfWaiting(),
                    ms(s.meanWaitMs()), ms(s.p99WaitMs()), ms(s.p50Ms()), ms(s.p99Ms()),
                    Double.isFinite(s.saturationEntryRps()) ? String.format(Locale.ROOT, "%.0f rps", s.saturationEntryRps())
                            : "-",
                    s.saturated() ? "  SATURATED" : s.utilisation() > 0.8 ? "  (ρ > 0.8)" : "");
        }
        out.println("end-to-end (entry span = whole request):");
        for (TwinModel.PathResult p : r.paths()) {
            out.printf(Locale.ROOT, "  %-12s %-22s %8.1f req/s  p50 %10s  p99 %10s  via %s%n", p.service(),
                    p.endpoint(), p.rps(), ms(p.p50Ms()), ms(p.p99Ms()), String.join(" > ", p.services()));
        }
        TwinModel.ServiceResult b = r.bottleneck() == null ? null : r.services().get(r.bottleneck());
        if (b != null) {
            out.printf(Locale.ROOT, "bottleneck: %s (ρ = %.3f; first to saturate, at %.0f entry req/s)%n%n",
                    b.service(), b.utilisation(), b.saturationEntryRps());
        }
    }

    private static String ms(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "sat";
        }
        return String.format(Locale.ROOT, "%.2f ms", v);
    }
}
