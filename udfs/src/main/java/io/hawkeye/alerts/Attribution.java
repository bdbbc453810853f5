package io.hawkeye.alerts;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** How much one feature contributed to an alert's score (e.g. its robust z-score). A Flink POJO. */
@JsonPropertyOrder({"feature", "contribution"})
public class Attribution {
    public String feature;
    public double contribution;

    public Attribution() {}

    public Attribution(String feature, double contribution) {
        this.feature = feature;
        this.contribution = contribution;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attribution a && Objects.equals(feature, a.feature)
                && Double.compare(contribution, a.contribution) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(feature, contribution);
    }

    @Override
    public String toString() {
        return feature + "=" + contribution;
    }
}
