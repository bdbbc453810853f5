package io.hawkeye.rca;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Observations for one period (normal or abnormal): per service, per signal, a time series (epoch ms →
 * value). Signals are open-ended names ({@code latency_p99}, {@code error_rate}, {@code cpu_utilization}, …).
 * Non-finite values are missing values and are not stored; a repeated timestamp keeps the last value.
 */
public final class SignalData {
    private final Map<String, Map<String, NavigableMap<Long, Double>>> data = new TreeMap<>();

    /** Records one value; NaN/infinite values are treated as missing and skipped. */
    public SignalData add(long tsMillis, String service, String signal, double value) {
        Map<String, NavigableMap<Long, Double>> bySignal = data.computeIfAbsent(service, k -> new TreeMap<>());
        NavigableMap<Long, Double> series = bySignal.computeIfAbsent(signal, k -> new TreeMap<>());
        if (Double.isFinite(value)) series.put(tsMillis, value);
        return this;
    }

    public Set<String> services() {
        return Collections.unmodifiableSet(data.keySet());
    }

    /** Signals of a service, sorted (empty if unknown). */
    public Map<String, NavigableMap<Long, Double>> signals(String service) {
        Map<String, NavigableMap<Long, Double>> m = data.get(service);
        return m == null ? Map.of() : Collections.unmodifiableMap(m);
    }

    /** The series, or an empty map. */
    public NavigableMap<Long, Double> series(String service, String signal) {
        Map<String, NavigableMap<Long, Double>> m = data.get(service);
        NavigableMap<Long, Double> s = m == null ? null : m.get(signal);
        return s == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(s);
    }

    public boolean isEmpty() {
        return data.isEmpty();
    }
}
