package io.hawkeye.jobs.ingest;

import java.time.Duration;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Bounded out-of-orderness watermarks of one Kafka partition with idleness that survives a broker stall.
 *
 * <p>Flink's {@code withIdleness} marks a partition idle after a quiet period, and the reader's watermark is then
 * the minimum over the partitions that are still active. When the whole broker stalls longer than that period,
 * every partition goes idle; when it resumes, the first partition whose records arrive becomes active alone and
 * carries the watermark to its newest event — the backlog of every other partition, still flagged idle for a few
 * more milliseconds, is then late and lost to the windows (seen: a 60 s broker freeze dead-lettered 127 k events).
 *
 * <p>Here a partition that comes back from idleness holds its watermark where it was when it went idle for
 * {@code resumeGrace} ({@code watermark.resume-grace}): the other partitions get that long to come back and
 * hold the minimum too — after a stall longer than the Kafka clients' request timeout they reconnect one by one,
 * so the grace should cover that timeout. Nothing is late after a stall of any length; the price is that windows
 * close up to {@code resumeGrace} later after a partition wakes up. A partition that stays silent stays idle and never holds
 * the others back. Time is the source's input-activity clock, which does not advance while the source is
 * back-pressured, so back-pressure alone never makes a partition idle.
 */
public final class ResumingIdleWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMillis;
    private final long idleTimeoutMillis;
    private final long resumeGraceMillis;
    private final RelativeClock clock;

    private long maxTimestamp;
    private long emitted = Long.MIN_VALUE;
    private long lastActivity;
    private boolean idle;
    /** Clock time at which the partition came back from idleness; -1 when not within a grace period. */
    private long resumedAt = -1;

    public ResumingIdleWatermarks(Duration outOfOrderness, Duration idleTimeout, Duration resumeGrace,
            RelativeClock clock) {
        if (outOfOrderness.isNegative() || idleTimeout.isNegative() || idleTimeout.isZero()
                || resumeGrace.isNegative()) {
            throw new IllegalArgumentException("need out-of-orderness >= 0, idle timeout > 0 and resume grace >= 0");
        }
        this.outOfOrdernessMillis = outOfOrderness.toMillis();
        this.idleTimeoutMillis = idleTimeout.toMillis();
        this.resumeGraceMillis = resumeGrace.toMillis();
        this.clock = clock;
        this.maxTimestamp = Long.MIN_VALUE + outOfOrdernessMillis + 1;
        this.lastActivity = clock.relativeTimeMillis();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastActivity = clock.relativeTimeMillis();
        if (idle) {
            idle = false;
            resumedAt = lastActivity;
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (idle) return;
        long now = clock.relativeTimeMillis();
        if (resumedAt >= 0) {
            if (now - resumedAt < resumeGraceMillis) {
                // Active again, but held at the watermark it had: re-announce it, so the partition counts as
                // active (and holds the minimum) without moving event time ahead of partitions still waking up.
                output.emitWatermark(new Watermark(emitted));
                return;
            }
            // The grace counts as activity: the released watermark is announced for a whole idle timeout before
            // a partition that went quiet again is idle, so the windows of its last records still close.
            lastActivity = Math.max(lastActivity, resumedAt + resumeGraceMillis);
            resumedAt = -1;
        }
        if (now - lastActivity >= idleTimeoutMillis) {
            idle = true;
            output.markIdle();
            return;
        }
        long watermark = maxTimestamp - outOfOrdernessMillis - 1;
        if (watermark > emitted) emitted = watermark;
        output.emitWatermark(new Watermark(emitted));
    }
}
