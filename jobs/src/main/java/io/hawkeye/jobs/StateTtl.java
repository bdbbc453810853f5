package io.hawkeye.jobs;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * The state TTL of Hawkeye's operators: a processing-time safety net behind their own event-time cleanup, refreshed
 * when an entry is created or written, an expired entry never returned.
 */
public final class StateTtl {
    private StateTtl() {}

    public static StateTtlConfig of(Duration ttl) {
        return builder(ttl).build();
    }

    /** For an operator that adds to it (e.g. its cleanup strategy). */
    public static StateTtlConfig.Builder builder(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired);
    }
}
