package io.hawkeye.jobs.testing;

import io.hawkeye.topology.Topology;
import java.time.Duration;

/** The injected faults of the fault-scoring tests here and in tools (jobs test-jar): one clear fault of each type. */
public final class TestFaults {
    private TestFaults() {}

    /** A fault of {@code type} at {@code service}, {@code start} after the run's start, for {@code duration}. */
    public static Topology.Fault fault(Topology.FaultType type, String service, Duration start, Duration duration) {
        return switch (type) {
            case LATENCY -> new Topology.Fault(type, service, null, start, duration, 0, 3.0, 0, 0, 1);
            case ERROR_BURST -> new Topology.Fault(type, service, null, start, duration, 0, 1, 0.3, 0, 1);
            case CAPACITY_LOSS -> new Topology.Fault(type, service, null, start, duration, 0, 1, 0, 1, 1);
            case TRAFFIC_DROP -> new Topology.Fault(type, service, null, start, duration, 0, 1, 0, 0, 0.4);
        };
    }
}
