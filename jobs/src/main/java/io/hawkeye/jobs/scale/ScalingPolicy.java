package io.hawkeye.jobs.scale;

/**
 * The HPA-like safety rules between a sizing recommendation and an action, as a pure function of the
 * {@link ScalerState} (unit-tested without Flink):
 * <ol>
 *   <li>every recommendation is remembered for the stabilisation window;</li>
 *   <li>scale up to the recommendation, but at most to {@link ScalingConfig#maxScaleUpTo(int)} per action;</li>
 *   <li>scale down only to the largest recommendation of the stabilisation window (so a dip between two
 *       peaks does not scale down and back up), and only once the service has been observed for a whole
 *       stabilisation window (after a start or a state loss the first few windows alone do not justify it);</li>
 *   <li>always within [min, max] replicas;</li>
 *   <li>no action within the cooldown after the previous one (no flapping; each step may cost a rebalance);</li>
 *   <li>no repeat of an identical action (same current and desired replicas) while it is still valid — in
 *       shadow mode the replicas never change, and the controller already has it in enforce mode.</li>
 * </ol>
 */
public final class ScalingPolicy {
    private ScalingPolicy() {}

    /** The replicas to ask for and a note on which rule shaped the count (empty when none did). */
    public record Decision(int desired, String note) {}

    /**
     * Records {@code recommended} and returns the action to take at {@code now}, or null for none. Does not
     * record the action itself: call {@link #recordAction} when it is emitted.
     */
    public static Decision decide(ScalerState st, ScalingConfig cfg, long now, int current, int recommended) {
        int rec = Math.max(cfg.minReplicas(), Math.min(cfg.maxReplicas(), recommended));
        int stabilised = st.recordRecommendation(now, rec, cfg.stabilisationWindow().toMillis());
        if (current < 1) return null;
        int desired;
        String note = "";
        if (rec > current) {
            int limit = cfg.maxScaleUpTo(current);
            desired = Math.min(rec, limit);
            if (desired < rec) note = "max-step limits this step to +" + (desired - current);
        } else if (rec < current) {
            if (st.firstSeenAt != Long.MIN_VALUE && now - st.firstSeenAt < cfg.stabilisationWindow().toMillis()) {
                return null;
            }
            desired = Math.min(current, stabilised);
            if (desired > rec) note = "stabilised at the largest recommendation of the last "
                    + cfg.stabilisationWindow().toSeconds() + " s";
        } else {
            desired = current;
        }
        desired = Math.max(cfg.minReplicas(), Math.min(cfg.maxReplicas(), desired));
        if (desired == current) return null;
        if (st.lastActionAt != Long.MIN_VALUE && now - st.lastActionAt < cfg.cooldown().toMillis()) return null;
        if (st.lastActionDesired == desired && st.lastActionCurrent == current && now < st.lastActionValidUntil) {
            return null;
        }
        return new Decision(desired, note);
    }

    public static void recordAction(ScalerState st, long now, int current, int desired, long validUntil) {
        st.lastActionAt = now;
        st.lastActionCurrent = current;
        st.lastActionDesired = desired;
        st.lastActionValidUntil = validUntil;
    }
}
