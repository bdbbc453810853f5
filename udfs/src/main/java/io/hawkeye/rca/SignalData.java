package io.hawkeye.rca;

import java.util.Set;

/**
 * Observations for one period (normal or abnormal): per service, per signal, a time series (epoch ms →
 * value). Signals are open-ended names ({@code latency_p99}, {@code error_rate}, {@code cpu_utilization}, …).
 * Non-finite values are missing values and are not stored; a repeated timestamp keeps the last value.
 */
public final class SignalData extends KeyedSeries<String> {
    /** Records one value; NaN/infinite values are treated as missing and skipped. */
    public SignalData add(long tsMillis, String service, String signal, double value) {
        put(tsMillis, service, signal, value);
        return this;
    }

    public Set<String> services() {
        return keys();
    }
}
