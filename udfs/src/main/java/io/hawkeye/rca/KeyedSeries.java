package io.hawkeye.rca;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Time series per key (a service, an edge) and signal: epoch ms → value. Non-finite values are missing values
 * and are not stored; a repeated timestamp keeps the last value. Iteration is sorted everywhere. The common part
 * of {@link SignalData} (per service) and {@link EdgeData} (per call edge).
 */
abstract class KeyedSeries<K extends Comparable<K>> {
    private final Map<K, Map<String, NavigableMap<Long, Double>>> data = new TreeMap<>();

    /** Records one value; NaN/infinite values are treated as missing and skipped. */
    void put(long tsMillis, K key, String signal, double value) {
        NavigableMap<Long, Double> series = data.computeIfAbsent(key, k -> new TreeMap<>())
                .computeIfAbsent(signal, k -> new TreeMap<>());
        if (Double.isFinite(value)) series.put(tsMillis, value);
    }

    Set<K> keys() {
        return Collections.unmodifiableSet(data.keySet());
    }

    /** Signals of a key, sorted (empty if unknown). */
    public Map<String, NavigableMap<Long, Double>> signals(K key) {
        Map<String, NavigableMap<Long, Double>> m = data.get(key);
        return m == null ? Map.of() : Collections.unmodifiableMap(m);
    }

    /** The series, or an empty map. */
    public NavigableMap<Long, Double> series(K key, String signal) {
        Map<String, NavigableMap<Long, Double>> m = data.get(key);
        NavigableMap<Long, Double> s = m == null ? null : m.get(signal);
        return s == null ? Collections.emptyNavigableMap() : Collections.unmodifiableNavigableMap(s);
    }

    public boolean isEmpty() {
        return data.isEmpty();
    }
}
