package io.hawkeye.scaling;

import io.hawkeye.json.JsonRecords;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A request-rate forecast of one service, made when a window closed: the rate expected in the window starting
 * at {@code targetTime = generatedAt + horizonMs}, with the p10–p90 interval of the forecaster (NaN = null in
 * JSON while the interval is not calibrated). A Flink POJO; {@link #toJson()} is the format of topic
 * {@code hawkeye.forecasts} and of the documents in {@code hawkeye-forecasts-*} (id {@link #documentId()}).
 */
public class LoadForecast {
    public String service;
    /** End of the window whose observation was the last one used (epoch ms). */
    public long generatedAt;
    /** Start of the forecast window (epoch ms). */
    public long targetTime;
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
        return JsonRecords.write(g -> {
            g.writeStringField("service", service);
            JsonRecords.time(g, "generated_at", generatedAt);
            JsonRecords.time(g, "target_time", targetTime);
            g.writeNumberField("horizon_ms", horizonMs);
            JsonRecords.number(g, "forecast_rps", forecastRps);
            JsonRecords.number(g, "lower", lower);
            JsonRecords.number(g, "upper", upper);
            g.writeStringField("phase", phase);
            g.writeStringField("model", model);
        });
    }

    public static LoadForecast fromJson(byte[] json) {
        JsonNode n = JsonRecords.read(json);
        LoadForecast f = new LoadForecast();
        f.service = JsonRecords.str(n, "service");
        f.generatedAt = JsonRecords.time(n.path("generated_at"));
        f.targetTime = JsonRecords.time(n.path("target_time"));
        f.horizonMs = n.path("horizon_ms").asLong();
        f.forecastRps = JsonRecords.dbl(n.get("forecast_rps"));
        f.lower = JsonRecords.dbl(n.get("lower"));
        f.upper = JsonRecords.dbl(n.get("upper"));
        f.phase = JsonRecords.str(n, "phase");
        f.model = JsonRecords.str(n, "model");
        return f;
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
