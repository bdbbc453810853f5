package io.hawkeye.jobs.scale;

import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.ScalingAction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.OutputTag;

/** Side outputs of the {@link ScalingPlanner}. */
public final class ScaleTags {
    public static final OutputTag<ScalingAction> ACTIONS =
            new OutputTag<>("scaling-actions", TypeInformation.of(ScalingAction.class));
    public static final OutputTag<ForecastScore> SCORES =
            new OutputTag<>("forecast-scores", TypeInformation.of(ForecastScore.class));

    private ScaleTags() {}
}
