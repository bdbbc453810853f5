package io.hawkeye.scaling;

import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.OutputRecord;
import io.hawkeye.telemetry.SeriesKeys;

/**
 * An output record the scaler makes for one service when one of its windows closed ({@link LoadForecast},
 * {@link ForecastScore}, {@link ScalingAction}): one document per service and window.
 */
public abstract class ScalerRecord extends OutputRecord {
    public String service;
    /** End of the window that made the record (epoch ms). */
    @EpochMillis public long generatedAt;

    /** Elasticsearch document id: the same service and window always map to the same document. */
    public String documentId() {
        return SeriesKeys.documentId(service, generatedAt);
    }
}
