package io.hawkeye.telemetry;

import io.hawkeye.json.ValueRecord;

/** One metric sample (cpu_utilization, memory_bytes, replicas, queue_depth, ...), validated. A Flink POJO. */
public class MetricSample extends ValueRecord {
    public long ts;
    public String service;
    public String instance;
    public String name;
    public double value;
    public String unit;

    public String sourceTopic;
    public int sourcePartition = -1;
    public long sourceOffset = -1;

    public MetricSample() {}

    public MetricSample(long ts, String service, String instance, String name, double value) {
        this.ts = ts;
        this.service = service;
        this.instance = instance;
        this.name = name;
        this.value = value;
    }

    @Override
    public String toString() {
        return "MetricSample{" + service + "/" + instance + " " + name + "=" + value + " ts=" + ts + "}";
    }
}
