package io.hawkeye.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * What SREs submit to their clusters: the shaded {@code -flink-job} jar built by {@code package} holds jobs, udfs
 * and the connectors, and nothing of the command line, the local stack, the simulator, Flink's runtime or
 * logging. An ITCase because failsafe runs after {@code package}, when the jar exists.
 */
class JobJarContentsITCase {

    @Test
    void holdsOnlyJobsUdfsAndConnectors() throws IOException {
        Path jar;
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("hawkeye.test.dir", "target")))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith("-flink-job.jar")).findFirst().orElseThrow();
        }
        Set<String> hawkeyePackages = new TreeSet<>();
        Set<String> jobsPackages = new TreeSet<>();
        Set<String> flinkPackages = new TreeSet<>();
        Set<String> topLevel = new TreeSet<>();
        List<String> entries;
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            entries = zip.stream().map(ZipEntry::getName).toList();
            entries.stream().map(e -> e.split("/")).filter(parts -> parts.length > 1).forEach(parts -> {
                topLevel.add(parts[0]);
                if (parts.length > 3 && parts[0].equals("io") && parts[1].equals("hawkeye")) {
                    hawkeyePackages.add(parts[2]);
                    if (parts[2].equals("jobs") && parts.length > 4) {
                        jobsPackages.add(parts[3]);
                    }
                }
                if (parts.length > 4 && parts[0].equals("org") && parts[1].equals("apache") && parts[2].equals("flink")) {
                    flinkPackages.add(parts[3]);
                }
            });
        }
        // udfs (the analytics core) and jobs, nothing else of Hawkeye.
        assertThat(hawkeyePackages).containsExactly("alerts", "capacity", "config", "correlate", "detect", "forecast",
                "jobs", "json", "queueing", "rca", "scaling", "sketch", "sql", "stats", "telemetry", "topology");
        assertThat(jobsPackages).containsExactly(
                "alertmanager", "correlate", "detect", "elasticsearch", "index", "ingest", "join", "kafka", "percentiles",
                "scale", "sql");
        // Flink's own classes come from the cluster: only the connectors (Kafka, base) are bundled.
        assertThat(flinkPackages).containsExactly("connector", "streaming");
        assertThat(entries).noneMatch(e -> e.startsWith("org/apache/flink/streaming/api/")
                || e.startsWith("org/apache/flink/runtime/") || e.startsWith("org/apache/logging/")
                || e.startsWith("org/slf4j/") || e.startsWith("picocli/"));
        assertThat(topLevel).contains("io", "org", "com", "META-INF").doesNotContain("picocli");
    }
}
