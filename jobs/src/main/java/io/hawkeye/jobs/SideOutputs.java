package io.hawkeye.jobs;

import io.hawkeye.jobs.detect.AnomalyScore;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/**
 * The side outputs of the job's operators, declared once. A side output is matched by its id, so an id is never
 * reused for another type.
 */
public final class SideOutputs {
    /** Ingest: the metric samples among the telemetry (the main output carries the spans). */
    public static final OutputTag<MetricSample> METRIC_SAMPLES =
            new OutputTag<>("metric-samples", TypeInformation.of(MetricSample.class));
    /** Ingest: the client and producer spans, the callers' view of their calls (not requests; docs/telemetry.md). */
    public static final OutputTag<Span> CALL_SPANS = new OutputTag<>("call-spans", TypeInformation.of(Span.class));
    /** Ingest and window operators: unparseable, invalid or late input, with the reason. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    /** Seasonal detection: the score of every observation, learning windows included. */
    public static final OutputTag<AnomalyScore> ANOMALY_SCORES =
            new OutputTag<>("anomaly-scores", TypeInformation.of(AnomalyScore.class));
    /** Scaling planner: the recommended (shadow) or enforced scaling actions. */
    public static final OutputTag<ScalingAction> SCALING_ACTIONS =
            new OutputTag<>("scaling-actions", TypeInformation.of(ScalingAction.class));
    /** Scaling planner: the scorecards of past forecasts. */
    public static final OutputTag<ForecastScore> FORECAST_SCORES =
            new OutputTag<>("forecast-scores", TypeInformation.of(ForecastScore.class));

    private SideOutputs() {}
}
