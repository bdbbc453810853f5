package io.hawkeye.tools;

import picocli.CommandLine.Option;

/**
 * {@code --seed}, the simulator's random seed, of {@code simulate}, {@code simulate-windows} and {@code demo} (a
 * picocli mixin).
 */
public final class SimulationSeedOption {
    @Option(names = "--seed", defaultValue = "42",
            description = "Random seed of the simulation; the same seed, topology and start give the same records "
                    + "(default: ${DEFAULT-VALUE}).")
    public long seed;
}
