package io.hawkeye.tools.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.correlate.Incident;
import io.hawkeye.stats.WindowStats;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The demo's live terminal summary: reads the job's committed output ({@code read_committed}, as any consumer
 * would) and prints events in/s, windows out, dead letters by reason and the latest percentiles per service.
 */
final class DemoSummary implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String statsTopic;
    private final String dlqTopic;
    private final Map<String, WindowStats> latestPerService = new TreeMap<>();
    private final Map<String, Long> deadLetters = new TreeMap<>();
    private long windowsOut;
    private long endpointWindowsOut;

    private final String alertsTopic;
    private final String actionsTopic;
    private final java.util.Deque<String> recentAlerts = new java.util.ArrayDeque<>();
    private long alertsFiring;
    private long alertsResolved;
    private long scalingActions;
    private String lastAction;

    /** End (event time) of the latest window read back from the job: how far the job has got. */
    private final AtomicLong jobProgress = new AtomicLong();
    private final String incidentsTopic;
    private final String annotatedTopic;
    /** Latest version of each incident of this run, by id, in order of first appearance. */
    private final Map<String, Incident> incidents = new java.util.LinkedHashMap<>();
    /** Alerts annotated as symptoms: alert id → the root-cause candidate they are attributed to. */
    private final Map<String, String> symptoms = new TreeMap<>();

    DemoSummary(String bootstrap, String statsTopic, String dlqTopic, String alertsTopic, String actionsTopic,
            String incidentsTopic, String annotatedTopic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer = new KafkaConsumer<>(p);
        this.statsTopic = statsTopic;
        this.dlqTopic = dlqTopic;
        this.alertsTopic = alertsTopic;
        this.actionsTopic = actionsTopic;
        this.incidentsTopic = incidentsTopic;
        this.annotatedTopic = annotatedTopic;
        List<TopicPartition> parts = new java.util.ArrayList<>();
        for (String t : List.of(statsTopic, dlqTopic, alertsTopic, actionsTopic, incidentsTopic, annotatedTopic)) {
            List<PartitionInfo> infos = consumer.partitionsFor(t, Duration.ofSeconds(30));
            if (infos != null) infos.forEach(i -> parts.add(new TopicPartition(t, i.partition())));
        }
        consumer.assign(parts);
        consumer.seekToEnd(parts); // this run's output only
        parts.forEach(consumer::position);
    }

    /** Reads what is new; call from one thread. */
    void poll() {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
            if (r.topic().equals(statsTopic)) {
                WindowStats w = WindowStats.fromJson(r.value());
                windowsOut++;
                jobProgress.accumulateAndGet(w.windowEnd, Math::max);
                if (WindowStats.SCOPE_SERVICE.equals(w.scope)) {
                    WindowStats prev = latestPerService.get(w.service);
                    if (prev == null || prev.windowStart <= w.windowStart) latestPerService.put(w.service, w);
                } else {
                    endpointWindowsOut++;
                }
            } else if (r.topic().equals(alertsTopic)) {
                io.hawkeye.alerts.Alert a = io.hawkeye.alerts.Alert.fromJson(r.value());
                if ("resolved".equals(a.status)) alertsResolved++;
                else alertsFiring++;
                recentAlerts.addFirst(String.format("%-8s %-9s %-22s %s/%s %s value=%.3g expected=%.3g", a.status,
                        a.severity, a.detector, a.service, a.endpoint, a.signal, a.value, a.expected));
                while (recentAlerts.size() > 4) recentAlerts.removeLast();
            } else if (r.topic().equals(actionsTopic)) {
                scalingActions++;
                try {
                    JsonNode n = JSON.readTree(r.value());
                    lastAction = n.path("service").asText() + " " + n.path("current_replicas").asText() + " -> "
                            + n.path("desired_replicas").asText() + " (" + n.path("mode").asText() + ": "
                            + n.path("reason").asText() + ")";
                } catch (Exception e) {
                    lastAction = "unreadable";
                }
            } else if (r.topic().equals(incidentsTopic)) {
                Incident i = Incident.fromJson(r.value());
                incidents.put(i.incidentId, i);
            } else if (r.topic().equals(annotatedTopic)) {
                io.hawkeye.alerts.Alert a = io.hawkeye.alerts.Alert.fromJson(r.value());
                if (a.causedBy != null && !a.causedBy.isEmpty()) symptoms.put(a.alertId, a.causedBy);
                else symptoms.remove(a.alertId);
            } else if (r.topic().equals(dlqTopic)) {
                try {
                    JsonNode n = JSON.readTree(r.value());
                    deadLetters.merge(n.path("reason").asText("unknown"), 1L, Long::sum);
                } catch (Exception e) {
                    deadLetters.merge("unreadable", 1L, Long::sum);
                }
            }
        }
    }

    long windowsOut() {
        return windowsOut;
    }

    AtomicLong jobProgress() {
        return jobProgress;
    }

    long alertRecords() {
        return alertsFiring + alertsResolved;
    }

    long alertsResolved() {
        return alertsResolved;
    }

    long scalingActions() {
        return scalingActions;
    }

    /** Incidents of this run that were not merged into another one. */
    long incidentCount() {
        return incidents.values().stream().filter(i -> i.mergedInto == null || i.mergedInto.isEmpty()).count();
    }

    /** Each incident of this run: status, size, its ranked root-cause candidates and blast radius. */
    void printIncidents(PrintStream out) {
        for (Incident i : incidents.values()) {
            if (i.mergedInto != null && !i.mergedInto.isEmpty()) continue;
            out.printf("       incident %s %-8s opened %s: %d alerts (%d firing) on %d services%s%n", i.incidentId,
                    i.status, Instant.ofEpochMilli(i.openedAt).toString().substring(0, 19), i.alertCount,
                    i.firingCount, i.services.size(), Incident.RESOLVED.equals(i.status)
                            ? ", resolved " + Instant.ofEpochMilli(i.resolvedAt).toString().substring(0, 19) : "");
            for (int k = 0; k < Math.min(3, i.rootCauses.size()); k++) {
                Incident.Cause c = i.rootCauses.get(k);
                out.printf("         root cause #%d %-16s score %.2f  %s%n", k + 1, c.service, c.score,
                        c.explanation);
            }
            if (!i.blastRadius.isEmpty()) {
                out.printf("         blast radius: %s%n", i.blastRadius.stream()
                        .map(b -> b.service + " (" + b.hops + " hop" + (b.hops == 1 ? "" : "s") + ", "
                                + b.alertCount + " alerts)")
                        .collect(java.util.stream.Collectors.joining(", ")));
            }
        }
        if (!symptoms.isEmpty()) {
            Map<String, Long> byCause = new TreeMap<>();
            symptoms.values().forEach(c -> byCause.merge(c, 1L, Long::sum));
            out.printf("         alerts marked as symptoms (caused_by): %s%n", byCause);
        }
    }

    /** Document counts of the job's indices, to show the results are in Elasticsearch too. */
    static void printElasticsearchCounts(PrintStream out, String elasticsearchUrl) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5)).build();
        try {
            // The indexer has written the documents; make them visible to _count now, not at the next refresh.
            http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(elasticsearchUrl
                            + "/hawkeye-*/_refresh?ignore_unavailable=true&allow_no_indices=true"))
                    .timeout(Duration.ofSeconds(10)).POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding());
        } catch (Exception e) {
            // the counts below say whether Elasticsearch answers
        }
        StringBuilder line = new StringBuilder("Elasticsearch documents:");
        for (String index : List.of("hawkeye-window-stats-*", "hawkeye-alerts-*", "hawkeye-incidents",
                "hawkeye-scaling-actions-*", "hawkeye-forecasts-*", "hawkeye-topology")) {
            String count;
            try {
                java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create(elasticsearchUrl + "/" + index + "/_count?ignore_unavailable=true"))
                        .timeout(Duration.ofSeconds(10)).GET().build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                count = r.statusCode() == 200 ? JSON.readTree(r.body()).path("count").asText("?")
                        : "HTTP " + r.statusCode();
            } catch (Exception e) {
                count = "unavailable";
            }
            line.append(' ').append(index).append('=').append(count);
        }
        out.println(line);
    }

    long deadLetterCount() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    void print(PrintStream out, long elapsedSeconds, AtomicLong eventsSent, double eventsPerSecond,
            Instant simulatedTime) {
        out.printf("%n[%4ds] events in: %,.0f/s (%,d total, simulated time %s) | windows out: %,d (%,d endpoint, "
                        + "%,d service) | dead letters: %,d %s%n",
                elapsedSeconds, eventsPerSecond, eventsSent.get(), simulatedTime == null ? "-" : simulatedTime,
                windowsOut, endpointWindowsOut, windowsOut - endpointWindowsOut, deadLetterCount(),
                deadLetters.isEmpty() ? "" : deadLetters.toString());
        out.printf("       alerts: %,d firing/updated, %,d resolved | incidents: %,d | scaling actions: %,d%s%n",
                alertsFiring, alertsResolved, incidentCount(), scalingActions,
                lastAction == null ? "" : " (last: " + lastAction + ")");
        for (String a : recentAlerts) out.println("         " + a);
        printIncidents(out);
        if (latestPerService.isEmpty()) {
            out.println("       (no committed window yet: results appear after the first window closes and the "
                    + "next checkpoint commits them)");
            return;
        }
        out.printf("       %-16s %-20s %9s %9s %9s %9s %8s%n", "service", "window", "rps", "p50 ms", "p99 ms",
                "p999 ms", "errors");
        for (WindowStats w : latestPerService.values()) {
            out.printf("       %-16s %-20s %9.1f %9.1f %9.1f %9.1f %7.2f%%%n", w.service,
                    Instant.ofEpochMilli(w.windowStart).toString().substring(0, 16), w.rps, w.p50Ms, w.p99Ms,
                    w.p999Ms, 100 * w.errorRate);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
