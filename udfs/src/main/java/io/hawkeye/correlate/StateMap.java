package io.hawkeye.correlate;

import java.util.Map;

/**
 * A map the {@link IncidentBook} keeps its state in: keyed map state of the Flink operator, a plain
 * {@link Map} offline and in tests. Values read are not assumed to be live: the book puts every value it changed.
 */
public interface StateMap<K, V> {
    /** The value of {@code key}, or null. */
    V get(K key);

    void put(K key, V value);

    void remove(K key);

    /** A view of {@code map}. */
    static <K, V> StateMap<K, V> of(Map<K, V> map) {
        return new StateMap<>() {
            @Override
            public V get(K key) {
                return map.get(key);
            }

            @Override
            public void put(K key, V value) {
                map.put(key, value);
            }

            @Override
            public void remove(K key) {
                map.remove(key);
            }
        };
    }
}
