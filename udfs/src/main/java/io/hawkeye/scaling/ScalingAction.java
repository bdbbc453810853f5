package io.hawkeye.scaling;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.RecordJson;

/**
 * A replica recommendation for one service, published to topic {@code hawkeye.scaling-actions} (key = service,
 * exactly-once) and to {@code hawkeye-scaling-actions-*} (id = {@link #actionId}). In {@code enforce} mode a
 * controller applies {@code desiredReplicas} until {@code validUntil}; {@code shadow} actions are for
 * evaluation only. {@code actionId} is deterministic ({@code service|generatedAt}), so a replay after a failure
 * produces the same ids and a consumer can de-duplicate.
 */
@JsonPropertyOrder({"action_id", "service", "current_replicas", "desired_replicas", "reason", "forecast_rps",
    "forecast_upper", "horizon", "slo", "predicted_p99_at_desired", "utilisation_at_desired", "service_rate", "model",
    "valid_until", "mode", "generated_at"})
public class ScalingAction extends ScalerRecord {
    public static final String MODE_SHADOW = "shadow";
    public static final String MODE_ENFORCE = "enforce";

    public int currentReplicas;
    public int desiredReplicas;
    /** Why, e.g. {@code scale_up: forecast p90 812.4 rps in 15 min needs 9 replicas (latency); step limit}. */
    public String reason;
    /** Point forecast (rps) the sizing looked at. */
    public double forecastRps;
    /** Upper bound (rps) the replicas were sized for. */
    public double forecastUpper;
    /** Forecast horizon, ISO-8601 (e.g. PT15M). */
    public String horizon;
    /** The latency objective, e.g. {@code p99<=250ms}. */
    public String slo;
    /** M/M/c p99 response time at the desired replicas and the forecast upper bound (ms). */
    public double predictedP99AtDesired;
    /** M/M/c utilisation at the desired replicas and the forecast upper bound. */
    public double utilisationAtDesired;
    /** Per-replica service rate μ (requests/s) used for the sizing. */
    public double serviceRate;
    /** Forecaster and queueing model, e.g. {@code seasonal-v1/DAILY+mmc}. */
    public String model;
    /** A controller must ignore the action after this instant (epoch ms). */
    @EpochMillis public long validUntil;
    /** shadow or enforce. */
    public String mode;
    public String actionId;

    public ScalingAction() {}

    public static String actionId(String service, long generatedAt) {
        return io.hawkeye.telemetry.SeriesKeys.documentId(service, generatedAt);
    }

    public boolean isScaleUp() {
        return desiredReplicas > currentReplicas;
    }

    /** @throws IllegalArgumentException on malformed JSON */
    public static ScalingAction fromJson(byte[] json) {
        return RecordJson.read(json, ScalingAction.class);
    }
}
