package io.hawkeye.simulator;



/**
 * Receives simulator output: one JSON object per call, in non-decreasing {@code tsMillis} order.
 * {@code key} is the service name (the Kafka record key). Implementations need not be thread-safe: a
 * {@link Simulation} calls its sink from the thread that runs it.
 */
@FunctionalInterface
public interface TelemetrySink extends AutoCloseable {

    void emit(String key, String json, long tsMillis);

    /** Pushes buffered records out; called by the simulation when a run ends. */
    default void flush() {}

    @Override
    default void close() {}
}
