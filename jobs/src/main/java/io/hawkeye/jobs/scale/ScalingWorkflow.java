package io.hawkeye.jobs.scale;

import io.hawkeye.jobs.SideOutputs;
import io.hawkeye.jobs.Uid;
import io.hawkeye.jobs.join.ServiceWindowJoin;
import io.hawkeye.scaling.ForecastScore;
import io.hawkeye.scaling.LoadForecast;
import io.hawkeye.scaling.ScalingAction;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.WindowStats;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Predictive scaling as a function from streams to streams: window statistics and metric statistics in;
 * forecasts, scaling actions and forecast scorecards out. The job wires Kafka and Elasticsearch around it; it can
 * also run on its own against the {@code hawkeye.window-stats} and {@code hawkeye.metric-stats} topics.
 *
 * <pre>
 * window stats ─► filter(service scope, revision 0) ─┐
 *                                                    ├─► keyBy(service) ─► LoadJoiner ─► keyBy(service) ─► ScalingPlanner ─┬─► forecasts
 * metric stats ─► filter(replicas, cpu_utilization) ─┘                                                                    ├─► actions (side output)
 *                                                                                                                         └─► scores (side output)
 * </pre>
 */
public final class ScalingWorkflow {
    /** The workflow's outputs. */
    public record Outputs(DataStream<LoadForecast> forecasts, DataStream<ScalingAction> actions,
            DataStream<ForecastScore> scores) {}

    private ScalingWorkflow() {}

    public static Outputs build(DataStream<WindowStats> windowStats, DataStream<MetricStats> metricStats,
            ScalingConfig config) {
        DataStream<WindowStats> serviceStats = windowStats.filter(ServiceWindowJoin::serviceWindow)
                .uid(Uid.SCALING_WINDOW_STATS_FILTER.id()).name("Scaling: service window stats");
        DataStream<MetricStats> capacityMetrics = metricStats.filter(LoadJoiner::relevant)
                .uid(Uid.SCALING_METRIC_STATS_FILTER.id()).name("Scaling: replicas and CPU");
        DataStream<ServiceLoad> loads = serviceStats.connect(capacityMetrics)
                .keyBy(w -> w.service, m -> m.service)
                .process(new LoadJoiner(), TypeInformation.of(ServiceLoad.class))
                .uid(Uid.SCALING_JOIN.id()).name("Scaling: join load and capacity per window");
        SingleOutputStreamOperator<LoadForecast> forecasts = loads
                .keyBy(l -> l.service)
                .process(new ScalingPlanner(config), TypeInformation.of(LoadForecast.class))
                .uid(Uid.SCALING_PLANNER.id()).name("Scaling: forecast, size, plan");
        return new Outputs(forecasts, forecasts.getSideOutput(SideOutputs.SCALING_ACTIONS),
                forecasts.getSideOutput(SideOutputs.FORECAST_SCORES));
    }
}
