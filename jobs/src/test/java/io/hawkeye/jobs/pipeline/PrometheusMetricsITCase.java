package io.hawkeye.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.HawkeyeOptions;
import io.hawkeye.jobs.testing.KafkaTestUtil;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job's own metrics as Prometheus scrapes them: Flink's Prometheus reporter (configured as in
 * deploy/kubernetes) on the MiniCluster, the job running on real Kafka with good and bad telemetry. Asserted:
 * the dead-letter counter of each reason is served with its exact count, the detectors' counters are there, and
 * every metric the shipped alerting rules (deploy/kubernetes/monitoring/hawkeye-rules.yaml) use is served —
 * except the indexer job's, which are checked against the names its code registers.
 */
class PrometheusMetricsITCase {
    static final String PORTS = "9249-9279";

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .setConfiguration(reporter()).build());

    static Configuration reporter() {
        Configuration c = new Configuration();
        c.setString("metrics.reporter.prom.factory.class",
                "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        c.setString("metrics.reporter.prom.port", PORTS);
        return c;
    }

    /** Metrics of the indexer job (not running here), as its sink and reader register them. */
    static final Set<String> INDEXER_METRICS = Set.of(
            "flink_taskmanager_job_task_operator_elasticsearchRetries",
            "flink_taskmanager_job_task_operator_elasticsearchRejected",
            "flink_taskmanager_job_task_operator_indexerUndecodable");

    @Test
    void servesTheJobsCountersAndEveryMetricTheAlertingRulesUse() throws Exception {
        String bootstrap = TestServices.kafkaBootstrap();
        String run = "prom-it-" + System.nanoTime();
        Map<String, String> options = TestJobs.topicOptions(kind -> run + "." + kind,
                List.of("telemetry", "window-stats", "metric-stats", "dlq", "alerts", "rules"));
        options.values().forEach(topic -> TestServices.createTopic(topic, 2));
        options.put(HawkeyeOptions.KAFKA_BOOTSTRAP.key(), bootstrap);
        options.put(HawkeyeOptions.KAFKA_STARTING_OFFSETS.key(), "earliest");
        options.put(HawkeyeOptions.KAFKA_GROUP_ID.key(), run);
        options.put(HawkeyeOptions.WINDOW_SIZE.key(), "10s");
        options.put(HawkeyeOptions.CAPABILITIES.key(), "detection");

        long start = System.currentTimeMillis() - Duration.ofMinutes(10).toMillis();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            lines.add(String.format(Locale.ROOT, "{\"type\":\"span\",\"ts\":%d,\"service\":\"web\",\"endpoint\":"
                    + "\"GET /\",\"duration_ms\":%d,\"status\":\"ok\"}", start + i * 1_000L, 20 + i % 7));
        }
        lines.add("not json");
        lines.add("not json either");
        lines.add("{\"type\":\"log\",\"ts\":1}");
        KafkaTestUtil.produce(bootstrap, options.get(HawkeyeOptions.TOPIC_TELEMETRY.key()), lines);

        JobClient job = TestJobs.define(options, Duration.ofSeconds(2)).executeAsync("prometheus-metrics-it");
        try {
            TestJobs.awaitRunning(job);
            // Wait for a learning window, not just any scored window: a fresh-clone run once scraped windowsScored > 0
            // with learningWindowsScored still 0 (the two counters are read at one scrape, the windows come in order
            // per series but not across series).
            String metrics = awaitScrape(text -> deadLetters(text, "not_json") >= 2
                    && deadLetters(text, "unknown_type") >= 1 && sum(text, "learningWindowsScored") > 0);

            assertThat(deadLetters(metrics, "not_json")).isEqualTo(2);
            assertThat(deadLetters(metrics, "unknown_type")).isEqualTo(1);
            assertThat(deadLetters(metrics, "late")).as("every reason is served from the start").isZero();
            assertThat(sum(metrics, "learningWindowsScored")).isPositive()
                    .isLessThanOrEqualTo(sum(metrics, "windowsScored"));

            Set<String> served = new TreeSet<>();
            Matcher m = Pattern.compile("(?m)^(flink_[A-Za-z0-9_]+)").matcher(metrics);
            while (m.find()) served.add(m.group(1));
            Set<String> used = ruleMetrics();
            assertThat(used).hasSizeGreaterThanOrEqualTo(5);
            for (String name : used) {
                if (INDEXER_METRICS.contains(name)) continue;
                assertThat(served).as("a metric the alerting rules use").contains(name);
            }
        } finally {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
    }

    /** The metric names in the shipped alerting rules' expressions. */
    static Set<String> ruleMetrics() throws IOException {
        String rules = Files.readString(Path.of("..", "deploy", "kubernetes", "monitoring", "hawkeye-rules.yaml"));
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("flink_[A-Za-z0-9_]+").matcher(rules);
        while (m.find()) names.add(m.group());
        return names;
    }

    /** The summed value of the dead-letter counter of {@code reason} over all subtasks. */
    static double deadLetters(String text, String reason) {
        return sum(text, "deadLetters_reason_count", "reason=\"" + reason + "\"");
    }

    static double sum(String text, String suffix) {
        return sum(text, suffix, "");
    }

    /** Sums the samples of {@code flink_taskmanager_job_task_operator_<suffix>} whose labels contain {@code label}. */
    static double sum(String text, String suffix, String label) {
        Pattern p = Pattern.compile("(?m)^flink_taskmanager_job_task_operator_" + Pattern.quote(suffix)
                + "\\{([^}]*)\\} ([0-9.eE+-]+)$");
        Matcher m = p.matcher(text);
        double total = 0;
        while (m.find()) if (m.group(1).contains(label)) total += Double.parseDouble(m.group(2));
        return total;
    }

    /** Scrapes the reporter's ports until one serves metrics that satisfy {@code ready} (at most two minutes). */
    static String awaitScrape(java.util.function.Predicate<String> ready) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String[] range = PORTS.split("-");
        long deadline = System.currentTimeMillis() + 90_000;
        String last = "";
        Set<Integer> answering = new TreeSet<>();
        while (System.currentTimeMillis() < deadline) {
            for (int port = Integer.parseInt(range[0]); port <= Integer.parseInt(range[1]); port++) {
                Optional<String> text = scrape(http, port);
                if (text.isPresent()) answering.add(port);
                if (text.isPresent() && text.get().contains("flink_taskmanager_job_task_operator_deadLetters")) {
                    last = text.get();
                    if (ready.test(last)) return last;
                } else if (text.isPresent() && last.isEmpty()) {
                    last = text.get();
                }
            }
            Thread.sleep(500);
        }
        try {
            Files.writeString(Path.of(System.getProperty("hawkeye.test.dir", "target"), "prometheus-last-scrape.txt"),
                    last);
        } catch (IOException e) {
            // only a diagnostic
        }
        throw new AssertionError("no reporter port in " + PORTS + " served the job's metrics in time (ports answering: "
                + answering + "); last scrape:\n" + last.lines().filter(l -> !l.startsWith("#"))
                        .filter(l -> l.contains("deadLetters") || l.contains("windowsScored") || l.contains("operator"))
                        .map(l -> l.replaceAll("\\{.*", "")).distinct().limit(40).toList());
    }

    static Optional<String> scrape(HttpClient http, int port) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? Optional.of(r.body()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
