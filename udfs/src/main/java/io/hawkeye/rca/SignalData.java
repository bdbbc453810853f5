package io.hawkeye.rca;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;

/**
 * Observations for one period (normal or abnormal): per service, per signal, a time series (epoch ms →
 * value). Signals are open-ended names ({@code latency_p99}, {@code error_rate}, {@code cpu_utilization}, …).
 * Non-finite values are missing values and are not stored; a repeated timestamp keeps the last value.
 */
public final class SignalData {
    private final KeyedSeries<String> data = new KeyedSeries<>();

    /** Records one value; NaN/infinite values are treated as missing and skipped. */
    public SignalData add(long tsMillis, String service, String signal, double value) {
        data.add(tsMillis, service, signal, value);
        return this;
    }

    public Set<String> services() {
        return data.keys();
    }

    /** Signals of a service, sorted (empty if unknown). */
    public Map<String, NavigableMap<Long, Double>> signals(String service) {
        return data.signals(service);
    }

    /** The series, or an empty map. */
    public NavigableMap<Long, Double> series(String service, String signal) {
        return data.series(service, signal);
    }

    public boolean isEmpty() {
        return data.isEmpty();
    }
}
