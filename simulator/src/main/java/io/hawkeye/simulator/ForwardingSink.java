package io.hawkeye.simulator;



/**
 * A sink in front of another one (pacing, throttling, rewriting records): subclasses decide what {@link #emit}
 * hands on; {@link #flush} and {@link #close} pass straight through.
 */
public abstract class ForwardingSink implements TelemetrySink {
    protected final TelemetrySink delegate;

    protected ForwardingSink(TelemetrySink delegate) {
        this.delegate = delegate;
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
