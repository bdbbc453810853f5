package io.hawkeye.scaler;

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
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A minimal Kubernetes controller for scaling actions: reads {@code hawkeye.scaling-actions} with
 * {@code isolation.level=read_committed} (only actions of completed Flink checkpoints) and, for actions in
 * {@code enforce} mode that are still valid, PATCHes the scale subresource of the service's Deployment through
 * the API server with the pod's service-account token ({@code java.net.http}, no client library). Shadow
 * actions, stale ones ({@code valid_until} passed), replays of an already applied action and actions older than
 * the last applied one of the same service are skipped. Offsets are committed after each batch, so a restart
 * re-reads at most one batch; applying the same replica count twice is harmless.
 *
 * <p>Configuration from the environment (see deploy/kubernetes/scaler/):
 * <ul>
 *   <li>{@code HAWKEYE_KAFKA_BOOTSTRAP} (required), {@code HAWKEYE_SCALING_TOPIC} (hawkeye.scaling-actions),
 *       {@code HAWKEYE_SCALER_GROUP} (hawkeye-scaler);</li>
 *   <li>{@code HAWKEYE_SCALER_NAMESPACE} (default: the pod's namespace);</li>
 *   <li>{@code HAWKEYE_SCALER_DEPLOYMENTS}: {@code service=deployment,...}; a service not listed is scaled only
 *       when {@code HAWKEYE_SCALER_ALLOW_ALL=true} (Deployment named like the service);</li>
 *   <li>{@code HAWKEYE_SCALER_DRY_RUN=true}: log what would be patched.</li>
 * </ul>
 */
public final class ScalingActionApplier {
    static final String SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

    /** What to do with an action. */
    public enum Verdict { APPLY, SKIP_SHADOW, SKIP_STALE, SKIP_UNMAPPED, SKIP_DUPLICATE, SKIP_SUPERSEDED, SKIP_INVALID }

    private final Map<String, String> deployments;
    private final boolean allowAll;
    /** Per service: generated_at of the last applied action. */
    private final Map<String, Long> lastApplied = new HashMap<>();

    public ScalingActionApplier(Map<String, String> deployments, boolean allowAll) {
        this.deployments = Map.copyOf(deployments);
        this.allowAll = allowAll;
    }

    /** The Deployment of {@code service}, or null when it may not be scaled. */
    public String deploymentOf(String service) {
        String d = deployments.get(service);
        return d != null ? d : allowAll ? service : null;
    }

    /** Decides on one action at wall-clock {@code nowMillis}; on APPLY, remembers it as applied. */
    public Verdict decide(ScalingAction a, long nowMillis) {
        if (a == null || a.service == null || a.desiredReplicas < 0) return Verdict.SKIP_INVALID;
        if (!ScalingAction.MODE_ENFORCE.equals(a.mode)) return Verdict.SKIP_SHADOW;
        if (nowMillis > a.validUntil) return Verdict.SKIP_STALE;
        if (deploymentOf(a.service) == null) return Verdict.SKIP_UNMAPPED;
        Long last = lastApplied.get(a.service);
        if (last != null && last == a.generatedAt) return Verdict.SKIP_DUPLICATE;
        if (last != null && last > a.generatedAt) return Verdict.SKIP_SUPERSEDED;
        lastApplied.put(a.service, a.generatedAt);
        return Verdict.APPLY;
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

    /** The JSON merge patch of the scale subresource. */
    static String scalePatch(int replicas) {
        return "{\"spec\":{\"replicas\":" + replicas + "}}";
    }

    static URI scaleUri(String apiServer, String namespace, String deployment) {
        return URI.create(apiServer + "/apis/apps/v1/namespaces/" + namespace + "/deployments/" + deployment
                + "/scale");
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

    public static void main(String[] args) throws Exception {
        String bootstrap = env("HAWKEYE_KAFKA_BOOTSTRAP", null);
        if (bootstrap == null) throw new IllegalArgumentException("HAWKEYE_KAFKA_BOOTSTRAP is required");
        String topic = env("HAWKEYE_SCALING_TOPIC", "hawkeye.scaling-actions");
        boolean dryRun = Boolean.parseBoolean(env("HAWKEYE_SCALER_DRY_RUN", "false"));
        Path sa = Path.of(SA_DIR);
        String namespace = env("HAWKEYE_SCALER_NAMESPACE", null);
        if (namespace == null) namespace = Files.readString(sa.resolve("namespace")).trim();
        String apiServer = "https://" + env("KUBERNETES_SERVICE_HOST", "kubernetes.default.svc") + ":"
                + env("KUBERNETES_SERVICE_PORT", "443");
        ScalingActionApplier applier = new ScalingActionApplier(parseMapping(env("HAWKEYE_SCALER_DEPLOYMENTS", "")),
                Boolean.parseBoolean(env("HAWKEYE_SCALER_ALLOW_ALL", "false")));
        HttpClient http = dryRun ? null : HttpClient.newBuilder().sslContext(clusterTls(sa.resolve("ca.crt")))
                .connectTimeout(Duration.ofSeconds(10)).build();

        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", env("HAWKEYE_SCALER_GROUP", "hawkeye-scaler"));
        p.put("isolation.level", "read_committed"); // only actions of completed checkpoints
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "latest"); // old actions are stale anyway
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (true) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                    ScalingAction a;
                    try {
                        a = ScalingAction.fromJson(r.value());
                    } catch (IllegalArgumentException e) {
                        System.err.println("skipping malformed action at offset " + r.offset() + ": " + e.getMessage());
                        continue;
                    }
                    Verdict v = applier.decide(a, System.currentTimeMillis());
                    System.out.println(v + " " + a);
                    if (v != Verdict.APPLY || dryRun) continue;
                    // The token is re-read for every call: projected service-account tokens rotate.
                    String token = Files.readString(sa.resolve("token")).trim();
                    HttpRequest req = HttpRequest.newBuilder(scaleUri(apiServer, namespace,
                                    applier.deploymentOf(a.service)))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", "application/merge-patch+json")
                            .method("PATCH", HttpRequest.BodyPublishers.ofString(scalePatch(a.desiredReplicas)))
                            .build();
                    try {
                        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(
                                StandardCharsets.UTF_8));
                        System.out.println("PATCH " + req.uri().getPath() + " → " + resp.statusCode());
                    } catch (IOException e) {
                        System.err.println("PATCH failed for " + a.actionId + ": " + e.getMessage());
                    }
                }
                consumer.commitSync();
            }
        }
    }
}
