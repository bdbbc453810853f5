package io.hawkeye.rca;

/**
 * One service in a root-cause ranking.
 *
 * @param rank        1 = most likely root cause
 * @param score       combined score in [0, 1]
 * @param anomaly     normalised anomaly strength in [0, 1] (1 = the most anomalous service)
 * @param local       the local component (anomaly × healthy callees × anomalous callers)
 * @param pageRank    normalised PageRank (1 = the highest)
 * @param correlation Pearson correlation of the anomaly series with the symptom's (NaN if unknown)
 * @param onset       onset component in [0, 1]
 * @param explanation one line for humans
 */
public record RankedCause(int rank, String service, double score, double anomaly, double local, double pageRank,
        double correlation, double onset, String explanation) {}
