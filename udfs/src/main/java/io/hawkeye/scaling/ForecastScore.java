package io.hawkeye.scaling;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * Running accuracy of the forecasts of one service, from every forecast whose target window has arrived since
 * the service's state was created: MAE, the MAE of seasonal naive (the value one day before the target) on the
 * same targets, MASE = MAE / MAE(seasonal naive) (below 1 beats seasonal naive), and the share of realised
 * values inside the forecast interval and under its upper bound. Published to {@code hawkeye.forecast-scores}.
 */
public class ForecastScore {
    public String service;
    /** Window end at which the score was emitted (epoch ms). */
    public long generatedAt;
    /** Target time of the first scored forecast (epoch ms). */
    public long since;
    public long count;
    public double mae;
    /** Forecasts scored that also had a seasonal-naive value (realised one day before the target). */
    public long naiveCount;
    public double maeSeasonalNaive;
    public double mase;
    public long intervalCount;
    public double coverage;
    public double belowUpper;
    public String phase;

    public ForecastScore() {}

    public String documentId() {
        return service + "|" + generatedAt;
    }

    public byte[] toJson() {
        return ScalingJson.write(g -> {
            g.writeStringField("service", service);
            ScalingJson.time(g, "generated_at", generatedAt);
            ScalingJson.time(g, "since", since);
            g.writeNumberField("count", count);
            ScalingJson.number(g, "mae", mae);
            g.writeNumberField("naive_count", naiveCount);
            ScalingJson.number(g, "mae_seasonal_naive", maeSeasonalNaive);
            ScalingJson.number(g, "mase", mase);
            g.writeNumberField("interval_count", intervalCount);
            ScalingJson.number(g, "coverage", coverage);
            ScalingJson.number(g, "below_upper", belowUpper);
            g.writeStringField("phase", phase);
        });
    }

    public static ForecastScore fromJson(byte[] json) {
        JsonNode n = ScalingJson.read(json);
        ForecastScore s = new ForecastScore();
        s.service = ScalingJson.str(n, "service");
        s.generatedAt = ScalingJson.time(n.path("generated_at"));
        s.since = ScalingJson.time(n.path("since"));
        s.count = n.path("count").asLong();
        s.mae = ScalingJson.dbl(n.get("mae"));
        s.naiveCount = n.path("naive_count").asLong();
        s.maeSeasonalNaive = ScalingJson.dbl(n.get("mae_seasonal_naive"));
        s.mase = ScalingJson.dbl(n.get("mase"));
        s.intervalCount = n.path("interval_count").asLong();
        s.coverage = ScalingJson.dbl(n.get("coverage"));
        s.belowUpper = ScalingJson.dbl(n.get("below_upper"));
        s.phase = ScalingJson.str(n, "phase");
        return s;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof ForecastScore s)) return false;
        return generatedAt == s.generatedAt && since == s.since && count == s.count && naiveCount == s.naiveCount
                && intervalCount == s.intervalCount && Double.compare(mae, s.mae) == 0
                && Double.compare(maeSeasonalNaive, s.maeSeasonalNaive) == 0 && Double.compare(mase, s.mase) == 0
                && Double.compare(coverage, s.coverage) == 0 && Double.compare(belowUpper, s.belowUpper) == 0
                && Objects.equals(service, s.service) && Objects.equals(phase, s.phase);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, generatedAt, count);
    }

    @Override
    public String toString() {
        return "ForecastScore{" + service + " n=" + count + " mae=" + mae + " mase=" + mase + " cov=" + coverage
                + "}";
    }
}
