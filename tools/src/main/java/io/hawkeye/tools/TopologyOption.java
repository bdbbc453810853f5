package io.hawkeye.tools;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --topology}, the simulator topology of {@code simulate} and {@code capacity} (a picocli mixin). */
public final class TopologyOption {
    @Option(names = "--topology", paramLabel = "FILE", defaultValue = "deploy/topologies/online-shop.yaml",
            description = "Topology YAML (default: ${DEFAULT-VALUE}).")
    public Path topology;
}
