package io.hawkeye.telemetry;

import io.hawkeye.json.ValueRecord;

/**
 * What every validated telemetry event ({@link Span}, {@link MetricSample}) has: when, which service (and
 * instance), and the source position ({@code sourceTopic/sourcePartition/sourceOffset}), which travels with the
 * event so that a late one can still be dead-lettered with where it came from. The fields of a Flink POJO.
 */
public abstract class TelemetryRecord extends ValueRecord {
    public long ts;
    public String service;
    public String instance;

    public String sourceTopic;
    public int sourcePartition = -1;
    public long sourceOffset = -1;

    protected TelemetryRecord() {}

    protected TelemetryRecord(long ts, String service, String instance) {
        this.ts = ts;
        this.service = service;
        this.instance = instance;
    }

    /** Sets where the event was read: topic, partition and offset. */
    public void source(String topic, int partition, long offset) {
        sourceTopic = topic;
        sourcePartition = partition;
        sourceOffset = offset;
    }
}
