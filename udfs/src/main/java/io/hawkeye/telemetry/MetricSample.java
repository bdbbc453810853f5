package io.hawkeye.telemetry;

/** One metric sample (cpu_utilization, memory_bytes, replicas, queue_depth, ...), validated. A Flink POJO. */
public class MetricSample extends TelemetryRecord {
    public String name;
    public double value;
    public String unit;

    public MetricSample() {}

    public MetricSample(long ts, String service, String instance, String name, double value) {
        super(ts, service, instance);
        this.name = name;
        this.value = value;
    }

    @Override
    public String toString() {
        return "MetricSample{" + service + "/" + instance + " " + name + "=" + value + " ts=" + ts + "}";
    }
}
