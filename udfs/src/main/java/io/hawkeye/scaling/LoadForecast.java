package io.hawkeye.scaling;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.RecordJson;
import java.util.Objects;

/**
 * A request-rate forecast of one service, made when a window closed: the rate expected in the window starting
 * at {@code targetTime = generatedAt + horizonMs}, with the p10–p90 interval of the forecaster (NaN = null in
 * JSON while the interval is not calibrated). A Flink POJO; {@link #toJson()} is the format of topic
 * {@code hawkeye.forecasts} and of the documents in {@code hawkeye-forecasts-*} (id {@link #documentId()}).
 */
@JsonPropertyOrder({"service", "generated_at", "target_time", "horizon_ms", "forecast_rps", "lower", "upper", "phase",
    "model"})
public class LoadForecast {
    public String service;
    /** End of the window whose observation was the last one used (epoch ms). */
    @EpochMillis public long generatedAt;
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

    public String documentId() {
        return service + "|" + generatedAt;
    }

    public byte[] toJson() {
        return RecordJson.write(this);
    }

    public static LoadForecast fromJson(byte[] json) {
        return RecordJson.read(json, LoadForecast.class);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof LoadForecast f)) return false;
        return generatedAt == f.generatedAt && targetTime == f.targetTime && horizonMs == f.horizonMs
                && Double.compare(forecastRps, f.forecastRps) == 0 && Double.compare(lower, f.lower) == 0
                && Double.compare(upper, f.upper) == 0 && Objects.equals(service, f.service)
                && Objects.equals(phase, f.phase) && Objects.equals(model, f.model);
    }

    @Override
    public int hashCode() {
        return Objects.hash(service, generatedAt, targetTime);
    }

    @Override
    public String toString() {
        return "LoadForecast{" + service + " @" + generatedAt + " → " + targetTime + " " + forecastRps + " ["
                + lower + ", " + upper + "] " + phase + "}";
    }
}
