package io.hawkeye.jobs.elasticsearch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Test handler: the sink serialises its handler to the tasks, so instances share results through a
 * static map keyed by a per-test name (the MiniCluster runs in the test JVM).
 */
final class CollectingFailedDocumentHandler implements FailedDocumentHandler {

    private static final long serialVersionUID = 1L;
    private static final Map<String, ConcurrentLinkedQueue<FailedDocument>> RESULTS =
            new ConcurrentHashMap<>();

    private final String key;

    CollectingFailedDocumentHandler(String key) {
        this.key = key;
        RESULTS.put(key, new ConcurrentLinkedQueue<>());
    }

    @Override
    public void handle(FailedDocument document) {
        RESULTS.get(key).add(document);
    }

    List<FailedDocument> documents() {
        return new ArrayList<>(RESULTS.get(key));
    }
}
