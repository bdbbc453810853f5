package io.hawkeye.scaling;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.RecordJson;

/**
 * Running accuracy of the forecasts of one service, from every forecast whose target window has arrived since
 * the service's state was created: MAE, the MAE of seasonal naive (the value one day before the target) on the
 * same targets, MASE = MAE / MAE(seasonal naive) (below 1 beats seasonal naive), and the share of realised
 * values inside the forecast interval and under its upper bound. Published to {@code hawkeye.forecast-scores}.
 */
@JsonPropertyOrder({"service", "generated_at", "since", "count", "mae", "naive_count", "mae_seasonal_naive", "mase",
    "interval_count", "coverage", "below_upper", "phase"})
public class ForecastScore extends ScalerRecord {
    /** Target time of the first scored forecast (epoch ms). */
    @EpochMillis public long since;
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

    public static ForecastScore fromJson(byte[] json) {
        return RecordJson.read(json, ForecastScore.class);
    }
}
