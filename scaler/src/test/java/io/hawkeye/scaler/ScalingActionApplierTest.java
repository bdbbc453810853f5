package io.hawkeye.scaler;

import static io.hawkeye.scaler.ScalingActionApplier.Verdict.APPLY;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_DUPLICATE;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_INVALID;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_SHADOW;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_STALE;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_SUPERSEDED;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_UNMAPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.scaler.ScalingActionApplier.Limits;
import io.hawkeye.scaler.ScalingActionApplier.Settings;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.scaling.ScalingRecordsTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScalingActionApplierTest {
    static final long T = 1_700_000_000_000L;

    static ScalingAction action(String service, long at, String mode) {
        ScalingAction a = ScalingRecordsTest.action();
        a.service = service;
        a.generatedAt = at;
        a.actionId = ScalingAction.actionId(service, at);
        a.validUntil = at + 900_000;
        a.mode = mode;
        return a;
    }

    @Test
    void appliesOnlyValidEnforcedActionsOfMappedServicesOnceAndInOrder() {
        ScalingActionApplier applier = new ScalingActionApplier(Map.of("checkout", "checkout-v2"), false);
        assertThat(applier.decide(action("checkout", T, "shadow"), T + 1, -1).verdict()).isEqualTo(SKIP_SHADOW);
        assertThat(applier.decide(action("checkout", T, "enforce"), T + 900_001, -1).verdict()).isEqualTo(SKIP_STALE);
        assertThat(applier.decide(action("cart", T, "enforce"), T + 1, -1).verdict()).isEqualTo(SKIP_UNMAPPED);
        assertThat(applier.decide(action("checkout", T, "enforce"), T + 1, -1).verdict()).isEqualTo(APPLY);
        assertThat(applier.decide(action("checkout", T, "enforce"), T + 2, -1).verdict()).isEqualTo(SKIP_DUPLICATE);
        assertThat(applier.decide(action("checkout", T - 60_000, "enforce"), T + 2, -1).verdict())
                .isEqualTo(SKIP_SUPERSEDED);
        assertThat(applier.decide(action("checkout", T + 120_000, "enforce"), T + 120_001, -1).verdict())
                .isEqualTo(APPLY);
        assertThat(applier.deploymentOf("checkout")).isEqualTo("checkout-v2");
        assertThat(new ScalingActionApplier(Map.of(), true).deploymentOf("cart")).isEqualTo("cart");
    }

    /** Records a producer with write access to the topic could forge: none does more than a valid action may. */
    @Test
    void forgedRecordsAreRejectedOrBounded() {
        Settings s = new Settings(Map.of("checkout", "checkout", "cart", "cart"), false, new Limits(2, 20),
                Map.of("cart", new Limits(1, 6)), 300_000, 60_000);
        ScalingActionApplier applier = new ScalingActionApplier(s);
        String base = "\"service\":\"checkout\",\"mode\":\"enforce\",\"generated_at\":" + T + ",\"valid_until\":"
                + (T + 900_000);
        // Missing desired_replicas: not "scale to 0".
        assertThat(applier.decide(json("{" + base + "}"), T + 1, 8).verdict()).isEqualTo(SKIP_INVALID);
        assertThat(applier.decide(json("{" + base + "}"), T + 1, 8).why()).isEqualTo("missing desired_replicas");
        assertThat(applier.decide(json("{" + base + ",\"desired_replicas\":\"lots\"}"), T + 1, 8).verdict())
                .isEqualTo(SKIP_INVALID);
        assertThat(applier.decide(json("not json"), T + 1, 8).verdict()).isEqualTo(SKIP_INVALID);
        assertThat(applier.decide(json("{\"service\":\"checkout\",\"desired_replicas\":5}"), T + 1, 8).why())
                .startsWith("missing ");
        // A far-future generated_at would block every later action: rejected by the wall clock.
        ScalingAction future = action("checkout", T + 86_400_000L * 365, "enforce");
        future.validUntil = Long.MAX_VALUE;
        assertThat(applier.decide(future, T, 8).verdict()).isEqualTo(SKIP_INVALID);
        // A record that claims to be valid for a year is still stale after the maximum age.
        ScalingAction old = action("checkout", T - 600_000, "enforce");
        old.validUntil = T + 365L * 86_400_000;
        assertThat(applier.decide(old, T, 8).verdict()).isEqualTo(SKIP_STALE);
        // 10,000 replicas: clamped to the service's own maximum and the step from the real count (8 -> 16).
        ScalingAction huge = action("checkout", T, "enforce");
        huge.desiredReplicas = 10_000;
        var d = applier.decide(huge, T + 1, 8);
        assertThat(d.verdict()).isEqualTo(APPLY);
        assertThat(d.replicas()).isEqualTo(16);
        assertThat(d.why()).contains("clamped to 2..20").contains("step-limited from 8");
        // Scale to zero: the minimum, and no lower than half of the real count per action.
        ScalingAction zero = action("checkout", T + 60_000, "enforce");
        zero.desiredReplicas = 0;
        assertThat(applier.decide(zero, T + 60_001, 8).replicas()).isEqualTo(4);
        ScalingAction cart = action("cart", T, "enforce");
        cart.desiredReplicas = 9;
        assertThat(applier.decide(cart, T + 1, -1).replicas()).isEqualTo(6); // per-service limit, count unknown
        // The record's current_replicas is not believed: the step is from the Deployment's real replicas.
        ScalingAction spoofed = action("cart", T + 60_000, "enforce");
        spoofed.currentReplicas = 1000;
        spoofed.desiredReplicas = 6;
        assertThat(applier.decide(spoofed, T + 60_001, 1).replicas()).isEqualTo(5); // 1 + max(1, 4)
    }

    static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void buildsTheScaleSubresourcePatchAndReadsIt() {
        assertThat(ScalingActionApplier.scalePatch(7)).isEqualTo("{\"spec\":{\"replicas\":7}}");
        assertThat(ScalingActionApplier.scaleUri("https://10.0.0.1:443", "shop", "checkout").toString())
                .isEqualTo("https://10.0.0.1:443/apis/apps/v1/namespaces/shop/deployments/checkout/scale");
        assertThat(ScalingActionApplier.parseMapping("a=b, c = d")).isEqualTo(Map.of("a", "b", "c", "d"));
        assertThat(ScalingActionApplier.parseLimits("a=1:4, b = 2:10"))
                .isEqualTo(Map.of("a", new Limits(1, 4), "b", new Limits(2, 10)));
        assertThat(ScalingActionApplier.specReplicas("{\"kind\":\"Scale\",\"spec\":{\"replicas\":3},"
                + "\"status\":{\"replicas\":2}}")).isEqualTo(3);
        assertThat(ScalingActionApplier.specReplicas("{}")).isEqualTo(-1);
        assertThat(ScalingActionApplier.retryable(0)).isTrue();
        assertThat(ScalingActionApplier.retryable(503)).isTrue();
        assertThat(ScalingActionApplier.retryable(429)).isTrue();
        assertThat(ScalingActionApplier.retryable(403)).isFalse();
    }

    @Test
    void kafkaSecurityComesFromAPropertiesFileAndCannotLoosenReadCommitted(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("client.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                isolation.level=read_uncommitted
                """);
        Properties p = ScalingActionApplier.consumerProperties("k:9093", "g", f);
        assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("isolation.level", "read_committed").containsEntry("bootstrap.servers", "k:9093");
    }
}
