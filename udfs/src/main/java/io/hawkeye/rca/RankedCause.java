package io.hawkeye.rca;

/**
 * One service in a root-cause ranking.
 *
 * @param rank        1 = most likely root cause
 * @param score       combined score in [0, 1]
 * @param anomaly     normalised anomaly strength in [0, 1] (1 = the most anomalous service)
 * @param unexplained normalised strength of what its callees and callers do not explain, in [0, 1]
 * @param correlation Pearson correlation of the anomaly series with the symptom's (NaN if unknown)
 * @param onset       onset component in [0, 1]
 * @param explanation one line for humans
 */
public record RankedCause(int rank, String service, double score, double anomaly, double unexplained,
        double correlation, double onset, String explanation) {}
