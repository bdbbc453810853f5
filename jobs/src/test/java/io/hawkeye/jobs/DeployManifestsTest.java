package io.hawkeye.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hawkeye.topology.Topology;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deploy material as a cluster would take it: every YAML file under deploy/ parses, and every Kubernetes
 * workload starts as shipped — its job arguments are accepted by the job, its entry class exists, and every file
 * it names is either in its image (a COPY of the Dockerfile) or on a volume it mounts; the Secrets it needs are
 * optional or shipped; the Flink deployments run with high availability and periodic savepoints on a file
 * system whose plugin the image enables.
 */
class DeployManifestsTest {
    static final Path DEPLOY = Path.of("..", "deploy");
    static final YAMLMapper YAML = new YAMLMapper();

    record Doc(Path file, JsonNode node) {
        String kind() {
            return node.path("kind").asText();
        }
    }

    @Test
    void everyYamlFileUnderDeployParses() throws IOException {
        List<Path> files = yamlFiles();
        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        for (Path f : files) {
            assertThat(documents(f)).as(f.toString()).isNotEmpty();
        }
        try (Stream<Path> topologies = Files.list(DEPLOY.resolve("topologies"))) {
            for (Path t : (Iterable<Path>) topologies::iterator) {
                assertThat(Topology.load(t).services()).as(t.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void flinkDeploymentsStartAsShipped() throws Exception {
        Set<String> image = imageFiles(DEPLOY.resolve("docker/Dockerfile"));
        String dockerfile = Files.readString(DEPLOY.resolve("docker/Dockerfile"));
        Set<String> shippedSecrets = shippedSecrets();
        List<Doc> deployments = allDocuments().stream().filter(d -> d.kind().equals("FlinkDeployment")).toList();
        assertThat(deployments).extracting(d -> d.file().getFileName().toString())
                .containsExactlyInAnyOrder("hawkeye.yaml", "hawkeye-indexer.yaml", "hawkeye-alertmanager.yaml");
        for (Doc d : deployments) {
            JsonNode spec = d.node().path("spec");
            JsonNode job = spec.path("job");
            String name = d.file().getFileName().toString();

            Class<?> entry = Class.forName(job.path("entryClass").asText());
            Method main = entry.getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as(name + " entry class has a static main").isTrue();
            List<String> args = new ArrayList<>();
            job.path("args").forEach(a -> args.add(a.asText()));
            HawkeyeOptions.fromArgs(args.toArray(String[]::new)); // throws naming any option the job rejects

            String jar = job.path("jarURI").asText();
            assertThat(jar).startsWith("local://");
            assertThat(image).as(name + ": the job jar is in the image").contains(jar.substring("local://".length()));

            JsonNode container = spec.path("podTemplate").path("spec").path("containers").path(0);
            Set<String> mounts = new HashSet<>();
            container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
            List<String> paths = new ArrayList<>();
            args.stream().filter(a -> a.startsWith("/")).forEach(paths::add);
            container.path("env").forEach(e -> {
                if (e.path("value").asText().startsWith("/")) paths.add(e.path("value").asText());
            });
            for (String p : paths) {
                assertThat(image.contains(p) || mounts.stream().anyMatch(m -> p.startsWith(m + "/")))
                        .as(name + ": " + p + " is in the image or on a mounted volume").isTrue();
            }
            assertSecretsAvailable(name, spec.path("podTemplate").path("spec"), shippedSecrets);

            JsonNode flink = spec.path("flinkConfiguration");
            assertThat(flink.path("high-availability.type").asText()).as(name + " HA").isEqualTo("kubernetes");
            assertThat(flink.path("high-availability.storageDir").asText()).as(name + " HA storage").isNotBlank();
            assertThat(flink.path("kubernetes.operator.periodic.savepoint.interval").asText())
                    .as(name + " periodic savepoints").isNotBlank();
            for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir",
                    "high-availability.storageDir")) {
                String uri = flink.path(key).asText();
                assertThat(uri).as(name + " " + key).isNotBlank();
                if (uri.startsWith("s3://")) {
                    assertThat(dockerfile).as(name + ": " + key + " on s3 needs the image's S3 plugin")
                            .containsPattern("plugins/s3-fs-(presto|hadoop)");
                }
            }
        }
    }

    @Test
    void prometheusScrapesTheReporterOfEveryFlinkDeployment() throws Exception {
        List<Doc> docs = allDocuments();
        JsonNode monitor = docs.stream().filter(d -> d.kind().equals("PodMonitor")).findFirst().orElseThrow().node();
        Set<String> selected = new HashSet<>();
        monitor.path("spec").path("selector").path("matchExpressions").forEach(e -> {
            if (e.path("key").asText().equals("app")) e.path("values").forEach(v -> selected.add(v.asText()));
        });
        String port = monitor.path("spec").path("podMetricsEndpoints").path(0).path("port").asText();
        assertThat(docs.stream().filter(d -> d.kind().equals("PrometheusRule")).count()).isEqualTo(1);
        for (Doc d : docs.stream().filter(d -> d.kind().equals("FlinkDeployment")).toList()) {
            JsonNode spec = d.node().path("spec");
            assertThat(selected).as("the PodMonitor selects " + d.file()).contains(
                    d.node().path("metadata").path("name").asText());
            JsonNode flink = spec.path("flinkConfiguration");
            assertThat(flink.path("metrics.reporter.prom.factory.class").asText())
                    .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            int reporterPort = Integer.parseInt(flink.path("metrics.reporter.prom.port").asText());
            JsonNode ports = spec.path("podTemplate").path("spec").path("containers").path(0).path("ports");
            boolean exposed = false;
            for (JsonNode p : ports) {
                exposed |= p.path("name").asText().equals(port) && p.path("containerPort").asInt() == reporterPort;
            }
            assertThat(exposed).as(d.file() + " exposes the reporter port as '" + port + "'").isTrue();
        }
    }

    @Test
    void theScalerDeploymentStartsAsShipped() throws Exception {
        Set<String> image = imageFiles(DEPLOY.resolve("docker/Dockerfile.scaler"));
        String entrypoint = Files.readAllLines(DEPLOY.resolve("docker/Dockerfile.scaler")).stream()
                .filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        image.forEach(f -> assertThat(f).startsWith("/"));
        assertThat(image).anyMatch(entrypoint::contains);
        Set<String> accounts = new HashSet<>();
        allDocuments().stream().filter(d -> d.kind().equals("ServiceAccount"))
                .forEach(d -> accounts.add(d.node().path("metadata").path("name").asText()));
        List<Doc> deployments = allDocuments().stream().filter(d -> d.kind().equals("Deployment")).toList();
        assertThat(deployments).hasSize(1);
        JsonNode pod = deployments.get(0).node().path("spec").path("template").path("spec");
        assertThat(accounts).contains(pod.path("serviceAccountName").asText());
        JsonNode container = pod.path("containers").path(0);
        Set<String> mounts = new HashSet<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("mountPath").asText()));
        container.path("env").forEach(e -> {
            String v = e.path("value").asText();
            if (v.startsWith("/")) {
                assertThat(image.contains(v) || mounts.stream().anyMatch(m -> v.startsWith(m + "/")))
                        .as(v + " is in the image or on a mounted volume").isTrue();
            }
        });
        assertSecretsAvailable("scaler", pod, shippedSecrets());
    }

    /** Every Secret a pod needs is optional or shipped (an example under deploy/kubernetes). */
    static void assertSecretsAvailable(String name, JsonNode pod, Set<String> shipped) {
        List<JsonNode> refs = new ArrayList<>();
        pod.path("containers").forEach(c -> c.path("envFrom").forEach(e -> refs.add(e.path("secretRef"))));
        pod.path("volumes").forEach(v -> refs.add(v.path("secret")));
        for (JsonNode ref : refs) {
            if (ref.isMissingNode()) continue;
            String secret = ref.has("secretName") ? ref.path("secretName").asText() : ref.path("name").asText();
            assertThat(ref.path("optional").asBoolean(false) || shipped.contains(secret))
                    .as(name + ": Secret " + secret + " is optional or shipped").isTrue();
        }
    }

    static Set<String> shippedSecrets() throws IOException {
        Set<String> names = new HashSet<>();
        allDocuments().stream().filter(d -> d.kind().equals("Secret"))
                .forEach(d -> names.add(d.node().path("metadata").path("name").asText()));
        return names;
    }

    /** The files a Dockerfile puts into its image: the destinations of its COPY instructions. */
    static Set<String> imageFiles(Path dockerfile) throws IOException {
        Set<String> files = new HashSet<>();
        for (String line : Files.readAllLines(dockerfile)) {
            if (!line.startsWith("COPY ")) continue;
            String[] parts = line.trim().split("\\s+");
            String src = parts[parts.length - 2];
            String dest = parts[parts.length - 1];
            files.add(dest.endsWith("/") ? dest + Path.of(src).getFileName() : dest);
        }
        return files;
    }

    static List<Doc> allDocuments() throws IOException {
        List<Doc> docs = new ArrayList<>();
        for (Path f : yamlFiles()) {
            for (JsonNode n : documents(f)) docs.add(new Doc(f, n));
        }
        return docs;
    }

    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) out.add(n);
            }
        }
        return out;
    }

    static List<Path> yamlFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(DEPLOY)) {
            return walk.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                    .toList();
        }
    }
}
