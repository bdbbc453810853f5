package io.hawkeye.alerts;

/** The alert state machine of {@link LifecyclePolicy}; pure Java, one call per window in event-time order. */
public final class AlertLifecycle {
    public enum Action { NONE, FIRE, UPDATE, RESOLVE }

    private AlertLifecycle() {}

    /**
     * Advances {@code s} by one window with the given score; returns what to emit. On FIRE, {@code s.startsAt}
     * is the start of the first window of the qualifying run; on RESOLVE, {@code s.lastActiveEnd} is the end of
     * the last window that kept the alert firing (the alert's ends_at).
     */
    public static Action step(LifecyclePolicy p, LifecycleState s, double score, long windowStart, long windowEnd) {
        if (!s.firing) {
            if (score >= p.fireScore) {
                if (s.pending == 0) s.pendingSince = windowStart;
                s.pending++;
                if (s.pending >= p.forWindows || score >= p.fireAtOnceScore) {
                    s.firing = true;
                    s.startsAt = s.pendingSince;
                    s.pending = 0;
                    s.sinceUpdate = 0;
                    s.quiet = 0;
                    s.lastActiveEnd = windowEnd;
                    return Action.FIRE;
                }
            } else {
                s.pending = 0;
            }
            return Action.NONE;
        }
        if (score >= p.keepScore) {
            s.quiet = 0;
            s.lastActiveEnd = windowEnd;
            if (++s.sinceUpdate >= p.updateEveryWindows) {
                s.sinceUpdate = 0;
                return Action.UPDATE;
            }
            return Action.NONE;
        }
        if (++s.quiet >= p.quietWindows) {
            s.firing = false;
            s.quiet = 0;
            s.sinceUpdate = 0;
            return Action.RESOLVE;
        }
        return Action.NONE;
    }
}
