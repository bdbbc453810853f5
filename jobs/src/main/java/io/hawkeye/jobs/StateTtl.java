package io.hawkeye.jobs;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/**
 * The state TTL of Hawkeye's operators: a processing-time safety net behind their own event-time cleanup, refreshed
 * when an entry is created or written, an expired entry never returned. Processing time keeps running while a job
 * is down, so no TTL is shorter than {@link #RESTORE_HORIZON}: a job restored from a checkpoint or savepoint up to
 * that old finds all of its state; the operators' event-time timers, not the TTL, bound it in normal operation.
 */
public final class StateTtl {
    /** The oldest checkpoint or savepoint a restore may come from without losing state to a TTL. */
    public static final Duration RESTORE_HORIZON = Duration.ofDays(7);

    private StateTtl() {}

    /** {@code ttl}, at least {@link #RESTORE_HORIZON}. */
    public static Duration atLeastRestoreHorizon(Duration ttl) {
        return ttl.compareTo(RESTORE_HORIZON) >= 0 ? ttl : RESTORE_HORIZON;
    }

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
