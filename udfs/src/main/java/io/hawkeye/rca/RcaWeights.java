package io.hawkeye.rca;

import java.util.List;

/**
 * Weights of the ranking components (docs/rca.md, "Ranking"). Each component is in [0, 1]; the score is their
 * weighted sum divided by the sum of the weights in use, so it is in [0, 1] too.
 *
 * @param evidence    unexplained strength × blast radius (the explain-away evidence)
 * @param anomaly     the service's whole normalised anomaly strength
 * @param correlation co-movement of the service's anomaly series with the symptom's (× its anomaly); used only
 *                    when the symptom is given
 * @param onset       earlier change point, more likely cause (× its anomaly)
 */
public record RcaWeights(double evidence, double anomaly, double correlation, double onset) {
    /** The weights' names, for {@link #scaled} and reports. */
    public static final List<String> NAMES = List.of("evidence", "anomaly", "correlation", "onset");

    /**
     * Chosen a priori, not fitted (docs/rca.md explains each, and shows the sensitivity to ±50 %): the explain-away
     * evidence decides (0.8), the size of the whole change and the onset order break near-ties (0.1 each), and a
     * given symptom's correlation carries 0.3 — the strongest simple signal where a symptom is known.
     */
    public static RcaWeights defaults() {
        return new RcaWeights(0.8, 0.1, 0.3, 0.1);
    }

    /** These weights with {@code name} multiplied by {@code factor}. */
    public RcaWeights scaled(String name, double factor) {
        return switch (name) {
            case "evidence" -> new RcaWeights(evidence * factor, anomaly, correlation, onset);
            case "anomaly" -> new RcaWeights(evidence, anomaly * factor, correlation, onset);
            case "correlation" -> new RcaWeights(evidence, anomaly, correlation * factor, onset);
            case "onset" -> new RcaWeights(evidence, anomaly, correlation, onset * factor);
            default -> throw new IllegalArgumentException("unknown weight " + name);
        };
    }
}
