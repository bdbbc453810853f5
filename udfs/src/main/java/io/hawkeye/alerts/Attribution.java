package io.hawkeye.alerts;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hawkeye.json.ValueRecord;

/** How much one feature contributed to an alert's score (e.g. its robust z-score). A Flink POJO. */
@JsonPropertyOrder({"feature", "contribution"})
public class Attribution extends ValueRecord {
    public String feature;
    public double contribution;

    public Attribution() {}

    public Attribution(String feature, double contribution) {
        this.feature = feature;
        this.contribution = contribution;
    }

    @Override
    public String toString() {
        return feature + "=" + contribution;
    }
}
