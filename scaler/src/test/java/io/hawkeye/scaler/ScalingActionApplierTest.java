package io.hawkeye.scaler;

import static io.hawkeye.scaler.ScalingActionApplier.Verdict.APPLY;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_DUPLICATE;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_SHADOW;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_STALE;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_SUPERSEDED;
import static io.hawkeye.scaler.ScalingActionApplier.Verdict.SKIP_UNMAPPED;
import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.scaling.ScalingRecordsTest;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScalingActionApplierTest {
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
        long t = 1_000_000_000L;
        assertThat(applier.decide(action("checkout", t, "shadow"), t + 1)).isEqualTo(SKIP_SHADOW);
        assertThat(applier.decide(action("checkout", t, "enforce"), t + 900_001)).isEqualTo(SKIP_STALE);
        assertThat(applier.decide(action("cart", t, "enforce"), t + 1)).isEqualTo(SKIP_UNMAPPED);
        assertThat(applier.decide(action("checkout", t, "enforce"), t + 1)).isEqualTo(APPLY);
        assertThat(applier.decide(action("checkout", t, "enforce"), t + 2)).isEqualTo(SKIP_DUPLICATE);
        assertThat(applier.decide(action("checkout", t - 60_000, "enforce"), t + 2)).isEqualTo(SKIP_SUPERSEDED);
        assertThat(applier.decide(action("checkout", t + 120_000, "enforce"), t + 120_001)).isEqualTo(APPLY);
        assertThat(applier.deploymentOf("checkout")).isEqualTo("checkout-v2");
        assertThat(new ScalingActionApplier(Map.of(), true).deploymentOf("cart")).isEqualTo("cart");
    }

    @Test
    void buildsTheScaleSubresourcePatch() {
        assertThat(ScalingActionApplier.scalePatch(7)).isEqualTo("{\"spec\":{\"replicas\":7}}");
        assertThat(ScalingActionApplier.scaleUri("https://10.0.0.1:443", "shop", "checkout").toString())
                .isEqualTo("https://10.0.0.1:443/apis/apps/v1/namespaces/shop/deployments/checkout/scale");
        assertThat(ScalingActionApplier.parseMapping("a=b, c = d")).isEqualTo(Map.of("a", "b", "c", "d"));
    }
}
