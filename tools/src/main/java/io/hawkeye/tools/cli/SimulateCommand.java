package io.hawkeye.tools.cli;

import io.hawkeye.simulator.PacedSink;
import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.tools.GroundTruthOption;
import io.hawkeye.tools.SimulationSeedOption;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.TopologyOption;
import io.hawkeye.topology.Topology;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code simulate}: runs the telemetry simulator against a topology and writes spans and metrics to Kafka
 * or to a JSON-lines file, optionally with the ground truth of the scheduled faults.
 *
 * <p>Registered as a subcommand by the top-level CLI; {@link #main} runs it standalone. Options are
 * documented in docs/simulator.md and by {@code --help}. Progress goes to stderr so that
 * {@code --output -} can stream records to stdout.
 */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Simulate a microservice topology (M/M/c queues, call graph, seasonality, scheduled faults) "
                + "and emit span and metric JSON records to Kafka or a JSON-lines file.",
        sortOptions = false)
public final class SimulateCommand extends ToolCommand {

    @Mixin
    TopologyOption topology;

    @Mixin
    SimulationSeedOption seed;

    @Option(names = "--start", paramLabel = "RFC3339",
            description = "Simulated start instant, e.g. 2024-03-04T00:00:00Z. Default: now minus --duration when "
                    + "--speed is max or > 1 (so no timestamp lies in the future), else now.")
    Instant start;

    @Option(names = "--duration", description = "Simulated time to cover, e.g. 90s, 2h, 1d, PT30M "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "1h")
    Duration duration;

    @Option(names = "--speed", description = "Simulated seconds per wall-clock second; 0 or 'max' = as fast as "
            + "possible (default: ${DEFAULT-VALUE}).", defaultValue = "max")
    String speed;

    @Option(names = "--rate", paramLabel = "N", description = "At most N events per wall-clock second; 0 = no "
            + "limit (default: ${DEFAULT-VALUE}).", defaultValue = "0")
    double rate;

    @Mixin
    SinkOptions sink;

    @Mixin
    GroundTruthOption groundTruth;

    @Mixin
    SamplingOverrides sampling;

    @Option(names = "--client-spans", description = "Also emit each call's client span (kind client, callee, the "
            + "callee's span its child), for the job's capability call-edges.")
    boolean clientSpans;

    @Option(names = "--progress-interval", paramLabel = "SECONDS",
            description = "Wall-clock seconds between progress lines; 0 = none (default: ${DEFAULT-VALUE}).",
            defaultValue = "5")
    double progressInterval;

    /** Source of "now" for the default start; replaceable in tests. */
    Clock clock = Clock.systemUTC();

    public static void main(String[] args) {
        System.exit(HawkeyeCli.configure(new CommandLine(new SimulateCommand())).execute(args));
    }

    @Override
    protected int run(PrintWriter out, PrintWriter err) {
        Duration simulated = duration;
        if (simulated.isZero()) throw new ParameterException(spec.commandLine(), "--duration: must be > 0");
        double speedValue = parseSpeed();
        sink.check(spec.commandLine());
        Instant startInstant = startInstant(simulated, speedValue);

        Topology t = sampling.applyTo(Topology.load(topology.topology));
        groundTruth.write(t, startInstant);

        Simulation sim = new Simulation(t, seed.seed, startInstant);
        sim.setClientSpans(clientSpans);
        long wallStart = System.nanoTime();
        long[] lastPrint = {wallStart, 0};
        if (progressInterval > 0) {
            long intervalNanos = (long) (progressInterval * 1e9);
            sim.setProgressListener(p -> {
                long now = System.nanoTime();
                if (now - lastPrint[0] >= intervalNanos) {
                    double secs = (now - lastPrint[0]) / 1e9;
                    err.printf(Locale.ROOT, "simulated %s (%s of %s), %,d events, %,.0f events/s, "
                                    + "%,.0f spans/simulated s before sampling%n",
                            p.simulatedTime(), Duration.ofMillis(p.simulatedMillis()), simulated,
                            p.events(), (p.events() - lastPrint[1]) / secs, p.expectedSpansPerSecond());
                    err.flush();
                    lastPrint[0] = now;
                    lastPrint[1] = p.events();
                }
            });
        }
        Thread main = Thread.currentThread();
        Thread hook = new Thread(() -> {
            sim.stop();
            try {
                main.join(10_000); // let the run end its step and flush the sink
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "simulator-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        err.printf(Locale.ROOT, "simulating %s from %s for %s (seed %d, speed %s) -> %s%n", t.name(),
                startInstant, simulated, seed.seed, speedValue == 0 ? "max" : speedValue, sink.target());
        Simulation.Progress result;
        try (TelemetrySink paced = new PacedSink(sink.open(), speedValue, rate)) {
            result = sim.run(simulated, paced);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already exiting; the hook is running
            }
        }
        double secs = Math.max(1e-9, (System.nanoTime() - wallStart) / 1e9);
        err.printf(Locale.ROOT, "done: simulated %s, %,d requests, %,d spans, %,d metrics, %,.0f events/s%n",
                Duration.ofMillis(result.simulatedMillis()), result.requests(), result.spans(), result.metrics(),
                result.events() / secs);
        err.flush();
        return 0;
    }

    private double parseSpeed() {
        if (speed.equalsIgnoreCase("max")) {
            return 0;
        }
        try {
            double s = Double.parseDouble(speed);
            if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--speed must be 'max' or a number >= 0, got " + speed);
        }
    }

    private Instant startInstant(Duration simulated, double speedValue) {
        if (start != null) {
            return start;
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return speedValue == 0 || speedValue > 1 ? now.minus(simulated) : now;
    }
}
