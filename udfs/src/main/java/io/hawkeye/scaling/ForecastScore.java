package io.hawkeye.scaling;

import io.hawkeye.json.JsonRecords;
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
        return JsonRecords.write(g -> {
            g.writeStringField("service", service);
            JsonRecords.time(g, "generated_at", generatedAt);
            JsonRecords.time(g, "since", since);
            g.writeNumberField("count", count);
            JsonRecords.number(g, "mae", mae);
            g.writeNumberField("naive_count", naiveCount);
            JsonRecords.number(g, "mae_seasonal_naive", maeSeasonalNaive);
            JsonRecords.number(g, "mase", mase);
            g.writeNumberField("interval_count", intervalCount);
            JsonRecords.number(g, "coverage", coverage);
            JsonRecords.number(g, "below_upper", belowUpper);
            g.writeStringField("phase", phase);
        });
    }

    public static ForecastScore fromJson(byte[] json) {
        JsonNode n = JsonRecords.read(json);
        ForecastScore s = new ForecastScore();
        s.service = JsonRecords.str(n, "service");
        s.generatedAt = JsonRecords.time(n.path("generated_at"));
        s.since = JsonRecords.time(n.path("since"));
        s.count = n.path("count").asLong();
        s.mae = JsonRecords.dbl(n.get("mae"));
        s.naiveCount = n.path("naive_count").asLong();
        s.maeSeasonalNaive = JsonRecords.dbl(n.get("mae_seasonal_naive"));
        s.mase = JsonRecords.dbl(n.get("mase"));
        s.intervalCount = n.path("interval_count").asLong();
        s.coverage = JsonRecords.dbl(n.get("coverage"));
        s.belowUpper = JsonRecords.dbl(n.get("below_upper"));
        s.phase = JsonRecords.str(n, "phase");
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
