package io.hawkeye.telemetry;

import java.util.Objects;

/** One metric sample (cpu_utilization, memory_bytes, replicas, queue_depth, ...), validated. A Flink POJO. */
public class MetricSample {
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
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof MetricSample m)) return false;
        return ts == m.ts && Double.compare(value, m.value) == 0 && sourcePartition == m.sourcePartition
                && sourceOffset == m.sourceOffset && Objects.equals(service, m.service)
                && Objects.equals(instance, m.instance) && Objects.equals(name, m.name)
                && Objects.equals(unit, m.unit) && Objects.equals(sourceTopic, m.sourceTopic);
    }

    @Override
    public int hashCode() {
        return Objects.hash(ts, service, instance, name, value, unit, sourceTopic, sourcePartition, sourceOffset);
    }

    @Override
    public String toString() {
        return "MetricSample{" + service + "/" + instance + " " + name + "=" + value + " ts=" + ts + "}";
    }
}
