package io.hawkeye.jobs.ingest;

import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.DeadLetterReason;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/**
 * Counts every dead letter on its way to the dead-letter topic in the Flink metric
 * {@code <operator>.deadLetters.reason.<reason>.count} (a {@code reason} label in Prometheus), so that bad input
 * is visible on dashboards as well as in the topic. Counters for all known reasons exist from the start, so a
 * dashboard shows zeros rather than missing series.
 */
public class DeadLetterCounter extends RichMapFunction<DeadLetter, DeadLetter> {
    private static final long serialVersionUID = 1L;
    private transient Map<String, Counter> counters;
    private transient MetricGroup group;

    @Override
    public void open(OpenContext openContext) {
        group = getRuntimeContext().getMetricGroup().addGroup("deadLetters");
        counters = new HashMap<>();
        for (DeadLetterReason r : DeadLetterReason.values()) counter(r.code());
    }

    private Counter counter(String reason) {
        return counters.computeIfAbsent(reason, r -> group.addGroup("reason", r).counter("count"));
    }

    @Override
    public DeadLetter map(DeadLetter d) {
        counter(d.reason).inc();
        return d;
    }

}
