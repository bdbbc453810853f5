package io.hawkeye.jobs.ingest;

import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.MetricSample;
import org.apache.flink.util.OutputTag;

/** The side outputs of the ingest and window operators, declared once. */
public final class Tags {
    public static final OutputTag<MetricSample> METRICS = new OutputTag<>("metric-samples") {};
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private Tags() {}
}
