package io.hawkeye.jobs.ingest;

import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.telemetry.Span;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Splits the parsed telemetry: request spans on the main output; client/producer spans (the callers' view of their
 * calls, {@link Span#isCall()}), metric samples and dead letters on side outputs.
 */
public class TelemetryRouter extends ProcessFunction<TelemetryEvent, Span> {
    private static final long serialVersionUID = 1L;

    @Override
    public void processElement(TelemetryEvent e, Context ctx, Collector<Span> out) {
        if (e.span != null) {
            if (e.span.isCall()) ctx.output(SideOutputs.CALL_SPANS, e.span);
            else out.collect(e.span);
        } else if (e.metric != null) {
            ctx.output(SideOutputs.METRIC_SAMPLES, e.metric);
        } else if (e.deadLetter != null) {
            ctx.output(SideOutputs.DEAD_LETTERS, e.deadLetter);
        }
    }
}
