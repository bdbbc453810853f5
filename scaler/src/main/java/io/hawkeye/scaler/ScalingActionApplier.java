package io.hawkeye.scaler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.scaling.ScalingAction;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A minimal Kubernetes controller for scaling actions: reads {@code hawkeye.scaling-actions} with
 * {@code isolation.level=read_committed} (only actions of completed Flink checkpoints) and, for actions in
 * {@code enforce} mode that pass every check, PATCHes the scale subresource of the service's Deployment through
 * the API server with the pod's service-account token ({@code java.net.http}, no client library).
 *
 * <p>The topic is input: whoever can write to it must not be able to do more than the job could. So every record
 * is checked on its own terms, never trusted:
 * <ul>
 *   <li>required fields present ({@code service}, {@code desired_replicas}, {@code mode}, {@code generated_at},
 *       {@code valid_until}): a missing {@code desired_replicas} is an invalid record, not 0 replicas;</li>
 *   <li>time from the wall clock: an action generated more than {@code HAWKEYE_SCALER_MAX_SKEW} (1 min) in the
 *       future is invalid (a far-future {@code generated_at} would otherwise block every later action), one
 *       older than {@code HAWKEYE_SCALER_MAX_AGE} (5 min) or past its {@code valid_until} is stale;</li>
 *   <li>replicas clamped to the service's own limits ({@code HAWKEYE_SCALER_LIMITS} {@code svc=min:max}, else
 *       {@code HAWKEYE_SCALER_MIN_REPLICAS} 1 / {@code HAWKEYE_SCALER_MAX_REPLICAS} 50), and each change limited
 *       relative to the Deployment's real replicas read from the API server (not the record's, which a
 *       telemetry producer could have spoofed): up by at most max(100 %, 4 pods), down to no less than half;</li>
 *   <li>only mapped services ({@code HAWKEYE_SCALER_DEPLOYMENTS} {@code service=deployment,...}); with
 *       {@code HAWKEYE_SCALER_ALLOW_ALL=true} a service names its Deployment;</li>
 *   <li>replays, and actions older than the last applied one of the same service, are skipped.</li>
 * </ul>
 * Dry-run is the default ({@code HAWKEYE_SCALER_DRY_RUN=false} to act). A failed PATCH (I/O error, 429, 5xx) is
 * retried with backoff (0.5, 1, 2 s). Offsets are committed after each batch, so a restart re-reads at most one
 * batch; applying the same replica count twice is harmless.
 *
 * <p>Kafka: {@code HAWKEYE_KAFKA_BOOTSTRAP} (required), {@code HAWKEYE_SCALING_TOPIC} (hawkeye.scaling-actions),
 * {@code HAWKEYE_SCALER_GROUP} (hawkeye-scaler); security from {@code HAWKEYE_KAFKA_PROPERTIES_FILE} (a client
 * properties file, e.g. a mounted Secret with {@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, trust store) — its values are never logged.
 */
public final class ScalingActionApplier {
    static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";
    private static final ObjectMapper JSON = new ObjectMapper();
    static final Set<String> REQUIRED = Set.of("service", "desired_replicas", "mode", "generated_at", "valid_until");

    /** What to do with an action. */
    public enum Verdict { APPLY, SKIP_SHADOW, SKIP_STALE, SKIP_UNMAPPED, SKIP_DUPLICATE, SKIP_SUPERSEDED, SKIP_INVALID }

    /** A verdict, the replica count to set (APPLY), and why (for the log). */
    public record Decision(Verdict verdict, int replicas, String why) {
        static Decision skip(Verdict v, String why) {
            return new Decision(v, -1, why);
        }
    }

    /** Replica bounds of one service. */
    public record Limits(int min, int max) {
        public Limits {
            if (min < 0 || max < min) throw new IllegalArgumentException("need 0 <= min <= max, got " + min + ":" + max);
        }
    }

    /** The applier's settings. */
    public record Settings(Map<String, String> deployments, boolean allowAll, Limits defaults,
            Map<String, Limits> limits, long maxAgeMs, long maxSkewMs) {
        public static Settings of(Map<String, String> deployments, boolean allowAll) {
            return new Settings(deployments, allowAll, new Limits(1, 50), Map.of(), 300_000, 60_000);
        }
    }

    private final Settings settings;
    /** Per service: generated_at of the last applied action. */
    private final Map<String, Long> lastApplied = new HashMap<>();

    public ScalingActionApplier(Settings settings) {
        this.settings = settings;
    }

    public ScalingActionApplier(Map<String, String> deployments, boolean allowAll) {
        this(Settings.of(deployments, allowAll));
    }

    /** The Deployment of {@code service}, or null when it may not be scaled. */
    public String deploymentOf(String service) {
        String d = settings.deployments().get(service);
        return d != null ? d : settings.allowAll() ? service : null;
    }

    /** Reads a record; null with {@code problems[0]} set when it is not a complete action. */
    static ScalingAction read(byte[] value, String[] problem) {
        JsonNode n;
        try {
            n = value == null ? null : JSON.readTree(value);
        } catch (IOException e) {
            problem[0] = "not JSON";
            return null;
        }
        if (n == null || !n.isObject()) {
            problem[0] = "not a JSON object";
            return null;
        }
        for (String f : REQUIRED) {
            if (!n.hasNonNull(f)) {
                problem[0] = "missing " + f;
                return null;
            }
        }
        if (!n.get("desired_replicas").canConvertToInt() || !n.get("desired_replicas").isIntegralNumber()) {
            problem[0] = "desired_replicas is not an integer";
            return null;
        }
        try {
            return ScalingAction.fromJson(value);
        } catch (IllegalArgumentException e) {
            problem[0] = "malformed: " + e.getMessage();
            return null;
        }
    }

    /** Decides on one raw record at wall-clock {@code nowMillis}, given the Deployment's current replicas. */
    public Decision decide(byte[] record, long nowMillis, int currentReplicas) {
        String[] problem = new String[1];
        ScalingAction a = read(record, problem);
        if (a == null) return Decision.skip(Verdict.SKIP_INVALID, problem[0]);
        return decide(a, nowMillis, currentReplicas);
    }

    /**
     * Decides on one action at wall-clock {@code nowMillis}; {@code currentReplicas} is the Deployment's real
     * replica count (negative: unknown, no step limit). On APPLY, remembers it as applied.
     */
    public Decision decide(ScalingAction a, long nowMillis, int currentReplicas) {
        if (a == null || a.service == null || a.service.isBlank() || a.desiredReplicas < 0) {
            return Decision.skip(Verdict.SKIP_INVALID, "no service or negative replicas");
        }
        if (!ScalingAction.MODE_ENFORCE.equals(a.mode)) return Decision.skip(Verdict.SKIP_SHADOW, "mode " + a.mode);
        if (a.generatedAt > nowMillis + settings.maxSkewMs()) {
            return Decision.skip(Verdict.SKIP_INVALID, "generated_at is in the future");
        }
        if (nowMillis > a.validUntil || nowMillis - a.generatedAt > settings.maxAgeMs()) {
            return Decision.skip(Verdict.SKIP_STALE, "older than its validity or the maximum age");
        }
        if (deploymentOf(a.service) == null) return Decision.skip(Verdict.SKIP_UNMAPPED, "service not mapped");
        Long last = lastApplied.get(a.service);
        if (last != null && last == a.generatedAt) return Decision.skip(Verdict.SKIP_DUPLICATE, "already applied");
        if (last != null && last > a.generatedAt) {
            return Decision.skip(Verdict.SKIP_SUPERSEDED, "a newer action was applied");
        }
        Limits l = settings.limits().getOrDefault(a.service, settings.defaults());
        int replicas = Math.max(l.min(), Math.min(l.max(), a.desiredReplicas));
        String why = replicas != a.desiredReplicas ? "clamped to " + l.min() + ".." + l.max() : "";
        if (currentReplicas >= 0) {
            int up = currentReplicas + Math.max(currentReplicas, 4);
            int down = (currentReplicas + 1) / 2;
            int stepped = Math.max(down, Math.min(up, replicas));
            if (stepped != replicas) why = (why.isEmpty() ? "" : why + "; ") + "step-limited from " + currentReplicas;
            replicas = Math.max(l.min(), Math.min(l.max(), stepped));
        }
        lastApplied.put(a.service, a.generatedAt);
        return new Decision(Verdict.APPLY, replicas, why);
    }

    /** {@code a=b, c=d} → map. */
    static Map<String, String> parseMapping(String s) {
        Map<String, String> m = new HashMap<>();
        if (s == null) return m;
        for (String part : s.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) m.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return m;
    }

    /** {@code svc=1:10, other=2:4} → limits per service. */
    static Map<String, Limits> parseLimits(String s) {
        Map<String, Limits> out = new HashMap<>();
        for (Map.Entry<String, String> e : parseMapping(s).entrySet()) {
            String[] mm = e.getValue().split(":");
            if (mm.length != 2) throw new IllegalArgumentException("limits of " + e.getKey() + ": expected min:max");
            out.put(e.getKey(), new Limits(Integer.parseInt(mm[0].trim()), Integer.parseInt(mm[1].trim())));
        }
        return out;
    }

    /** The JSON merge patch of the scale subresource. */
    static String scalePatch(int replicas) {
        return "{\"spec\":{\"replicas\":" + replicas + "}}";
    }

    static URI scaleUri(String apiServer, String namespace, String deployment) {
        return URI.create(apiServer + "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + deployment
                + "/scale");
    }

    private static final Pattern SPEC_REPLICAS = Pattern.compile("\"spec\"\\s*:\\s*\\{[^}]*\"replicas\"\\s*:\\s*(\\d+)");

    /** {@code spec.replicas} of a scale subresource's JSON, or -1. */
    static int specReplicas(String scaleJson) {
        Matcher m = SPEC_REPLICAS.matcher(scaleJson == null ? "" : scaleJson);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Whether a failed call is worth repeating: I/O errors (status 0 here), throttling and server errors. */
    static boolean retryable(int status) {
        return status == 0 || status == 429 || status >= 500;
    }

    private static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    static SSLContext clusterTls(Path caCert) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            int i = 0;
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, (X509Certificate) c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Consumer settings: the fixed ones, then a client properties file (security) that may add to them. */
    static Properties consumerProperties(String bootstrap, String group, Path securityFile) throws IOException {
        Properties p = new Properties();
        if (securityFile != null) {
            try (InputStream in = Files.newInputStream(securityFile)) {
                p.load(in);
            }
        }
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        p.put("isolation.level", "read_committed"); // only actions of completed checkpoints
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "latest"); // old actions are stale anyway
        return p;
    }

    /** One HTTP exchange with retries; the status (0 after I/O errors) and body of the last attempt. */
    static HttpResponse<String> send(HttpClient http, HttpRequest req) throws InterruptedException {
        long backoff = 500;
        HttpResponse<String> last = null;
        for (int attempt = 1; attempt <= 4; attempt++) {
            int status;
            try {
                last = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                status = last.statusCode();
            } catch (IOException e) {
                System.err.println(req.method() + " " + req.uri().getPath() + " failed (attempt " + attempt + "): "
                        + e.getClass().getSimpleName());
                status = 0;
            }
            if (!retryable(status) || attempt == 4) return last;
            Thread.sleep(backoff);
            backoff *= 2;
        }
        return last;
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = env("HAWKEYE_KAFKA_BOOTSTRAP", null);
        if (bootstrap == null) {
            System.err.println("hawkeye-scaler: HAWKEYE_KAFKA_BOOTSTRAP is required");
            System.exit(2);
        }
        String topic = env("HAWKEYE_SCALING_TOPIC", "hawkeye.scaling-actions");
        boolean dryRun = !"false".equalsIgnoreCase(env("HAWKEYE_SCALER_DRY_RUN", "true"));
        Path sa = Path.of(SA_DIR);
        String namespace = env("HAWKEYE_SCALER_NAMESPACE", null);
        if (namespace == null) namespace = Files.readString(sa.resolve("namespace")).trim();
        String apiServer = "https://" + env("KUBERNETES_SERVICE_HOST", "kubernetes.default.svc") + ":"
                + env("KUBERNETES_SERVICE_PORT", "443");
        Settings settings = new Settings(parseMapping(env("HAWKEYE_SCALER_DEPLOYMENTS", "")),
                Boolean.parseBoolean(env("HAWKEYE_SCALER_ALLOW_ALL", "false")),
                new Limits(Integer.parseInt(env("HAWKEYE_SCALER_MIN_REPLICAS", "1")),
                        Integer.parseInt(env("HAWKEYE_SCALER_MAX_REPLICAS", "50"))),
                parseLimits(env("HAWKEYE_SCALER_LIMITS", "")),
                Duration.parse("PT" + env("HAWKEYE_SCALER_MAX_AGE", "5M")).toMillis(),
                Duration.parse("PT" + env("HAWKEYE_SCALER_MAX_SKEW", "1M")).toMillis());
        ScalingActionApplier applier = new ScalingActionApplier(settings);
        HttpClient http = HttpClient.newBuilder().sslContext(clusterTls(sa.resolve("ca.crt")))
                .connectTimeout(Duration.ofSeconds(10)).build();
        String securityFile = env("HAWKEYE_KAFKA_PROPERTIES_FILE", null);
        if (securityFile != null && !Files.isRegularFile(Path.of(securityFile))) {
            System.err.println("hawkeye-scaler: warning: no Kafka client settings at " + securityFile
                    + " (the Secret is optional); connecting without them");
            securityFile = null;
        }
        Properties p = consumerProperties(bootstrap, env("HAWKEYE_SCALER_GROUP", "hawkeye-scaler"),
                securityFile == null ? null : Path.of(securityFile));
        System.out.println("hawkeye-scaler: topic " + topic + (dryRun ? ", DRY RUN" : ", enforcing")
                + (securityFile != null ? ", Kafka client settings from " + securityFile : ""));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    String[] problem = new String[1];
                    ScalingAction a = read(r.value(), problem);
                    if (a == null) {
                        System.err.println("SKIP_INVALID offset " + r.offset() + ": " + problem[0]);
                        continue;
                    }
                    String deployment = applier.deploymentOf(a.service);
                    String token = deployment == null ? null : Files.readString(sa.resolve("token")).trim();
                    int current = -1;
                    if (deployment != null) {
                        URI uri = scaleUri(apiServer, namespace, deployment);
                        HttpResponse<String> got = send(http, HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET()
                                .build());
                        current = got != null && got.statusCode() == 200 ? specReplicas(got.body()) : -1;
                    }
                    Decision d = applier.decide(a, System.currentTimeMillis(), current);
                    System.out.println(d.verdict() + " " + a.service + " " + a.actionId + " desired "
                            + a.desiredReplicas + (d.verdict() == Verdict.APPLY ? " → " + d.replicas() : "")
                            + (d.why().isEmpty() ? "" : " (" + d.why() + ")"));
                    if (d.verdict() != Verdict.APPLY || dryRun) continue;
                    // The token is re-read for every call: projected service-account tokens rotate.
                    HttpRequest req = HttpRequest.newBuilder(scaleUri(apiServer, namespace, deployment))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/merge-patch+json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString(scalePatch(d.replicas())))
                            .build();
                    HttpResponse<String> resp = send(http, req);
                    System.out.println("PATCH " + req.uri().getPath() + " → "
                            + (resp == null ? "no response" : resp.statusCode()));
                }
                consumer.commitSync();
            }
        }
    }
}
