package io.hawkeye.tools;

import io.hawkeye.simulator.GroundTruth;
import io.hawkeye.topology.Topology;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * {@code --ground-truth}, the simulated faults as a file, of {@code simulate} and {@code simulate-windows} (a picocli
 * mixin).
 */
public final class GroundTruthOption {
    @Option(names = "--ground-truth", paramLabel = "FILE",
            description = "Write the scheduled faults as JSON lines to FILE.")
    public Path file;

    /** Writes the faults {@code topology} schedules from {@code start} to the file, when the option is given. */
    public void write(Topology topology, Instant start) {
        if (file != null) GroundTruth.write(topology, start, file);
    }
}
