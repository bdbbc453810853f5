package io.hawkeye.simulator;



/**
 * Slows a sink down to wall-clock pace: {@code speed} simulated seconds per wall second, and/or at most
 * {@code rate} events per second. 0 disables either limit; with both, the slower one wins.
 *
 * <p>Pacing is derived from the records' timestamps, so it needs no hook into the simulation. It sleeps
 * only when ahead by more than a few milliseconds to keep the cost per record tiny; a sink that cannot
 * keep up simply makes the simulation run slower than asked (no catch-up bursts beyond what fell behind).
 */
public final class PacedSink extends ForwardingSink {

    private static final long MIN_SLEEP_NANOS = 2_000_000;

    private final double speed;
    private final double rate;
    private long firstTs = Long.MIN_VALUE;
    private long wallStart;
    private long count;

    public PacedSink(TelemetrySink delegate, double speed, double rate) {
        super(delegate);
        if (speed < 0 || rate < 0) {
            throw new IllegalArgumentException("speed and rate must be >= 0");
        }
        this.speed = speed;
        this.rate = rate;
    }

    @Override
    public void emit(String key, String json, long tsMillis) {
        if (firstTs == Long.MIN_VALUE) {
            firstTs = tsMillis;
            wallStart = System.nanoTime();
        }
        long target = 0;
        if (speed > 0) {
            target = (long) ((tsMillis - firstTs) * 1_000_000.0 / speed);
        }
        if (rate > 0) {
            target = Math.max(target, (long) (count * 1_000_000_000.0 / rate));
        }
        long ahead = target - (System.nanoTime() - wallStart);
        if (ahead > MIN_SLEEP_NANOS) {
            try {
                Thread.sleep(ahead / 1_000_000, (int) (ahead % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the simulation loop sees it and stops
            }
        }
        count++;
        delegate.emit(key, json, tsMillis);
    }
}
