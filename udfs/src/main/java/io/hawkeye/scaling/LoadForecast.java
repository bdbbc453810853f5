package io.hawkeye.scaling;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.RecordJson;

/**
 * A request-rate forecast of one service, made when a window closed: the rate expected in the window starting
 * at {@code targetTime = generatedAt + horizonMs}, with the p10–p90 interval of the forecaster (NaN = null in
 * JSON while the interval is not calibrated). A Flink POJO; {@link #toJson()} is the format of topic
 * {@code hawkeye.forecasts} and of the documents in {@code hawkeye-forecasts-*} (id {@link #documentId()}).
 */
@JsonPropertyOrder({"service", "generated_at", "target_time", "horizon_ms", "forecast_rps", "lower", "upper", "phase",
    "model"})
public class LoadForecast extends ScalerRecord {
    /** Start of the forecast window (epoch ms). */
    @EpochMillis public long targetTime;
    public long horizonMs;
    public double forecastRps;
    public double lower;
    public double upper;
    /** LEARNING, DAILY or WEEKLY. */
    public String phase;
    /** The model that made it, e.g. {@code seasonal-v1}. */
    public String model;

    public LoadForecast() {}

    public static LoadForecast fromJson(byte[] json) {
        return RecordJson.read(json, LoadForecast.class);
    }
}
