package io.hawkeye.rca;

/**
 * Weights of the ranking components (docs/rca.md). Each component is in [0, 1]; the score is their weighted sum
 * divided by the sum of the weights, so it is in [0, 1] too.
 *
 * @param local       anomaly × healthy callees × anomalous callers (the "callers inherit symptoms" rule)
 * @param pageRank    personalised PageRank on the anomaly-weighted graph, walking from symptoms to dependencies
 * @param anomaly     the service's own normalised anomaly strength
 * @param correlation co-movement of the service's anomaly series with the symptom's (× its anomaly)
 * @param onset       earlier change point, more likely cause (× its anomaly)
 * @param damping     PageRank damping factor (probability of following an edge rather than teleporting)
 * @param backward    weight of walking back from a callee to its callers, relative to forward edges
 */
public record RcaWeights(double local, double pageRank, double anomaly, double correlation, double onset,
        double damping, double backward) {

    /** Chosen a priori, not fitted: structure (local + PageRank) 0.65, evidence about the service itself 0.35. */
    public static RcaWeights defaults() {
        return new RcaWeights(0.35, 0.30, 0.10, 0.15, 0.10, 0.85, 0.1);
    }

    double total() {
        return local + pageRank + anomaly + correlation + onset;
    }
}
