package io.hawkeye.jobs.correlate;

import io.hawkeye.alerts.Alert;
import io.hawkeye.correlate.Incident;
import io.hawkeye.jobs.Uid;
import io.hawkeye.telemetry.Span;
import java.time.Duration;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

/**
 * Alert correlation as a function from streams to streams: spans and alerts in; dependency-graph edges,
 * incidents and annotated alerts out.
 *
 * <pre>
 * spans ─► has caller ─► keyBy(caller|callee) ─► tumbling window counts ─► keyBy(const) ─► DependencyGraphFunction
 *                                                                                 │ (p=1)     ─► topology edges
 *                                                                                 └─ broadcast ─┐
 * alerts ─► keyBy(const) ───────────────────────────────────────────────────────────────────────┴► IncidentCorrelator
 *                                                                       (p=1) ─► incidents, annotated alerts
 * </pre>
 * With {@code correlate.partition-label} the alerts are keyed by that label's value instead of the constant and
 * the incident operator runs at the job's parallelism (docs/correlation.md, "Scale").
 * Both inputs need event-time timestamps and watermarks. Spans arriving after their window closed are dropped by
 * the window (Flink's {@code numLateRecordsDropped} metric); the graph tolerates it.
 */
public final class CorrelationWorkflow {
    /** {@link Uid#CORRELATE_INCIDENTS}, for the correlation benchmark, which wires the incident operator itself. */
    public static final String UID_INCIDENTS = Uid.CORRELATE_INCIDENTS.id();

    /** {@code topology}: edge snapshots every window; {@code incidents}: one per change; alerts annotated. */
    public record Outputs(DataStream<TopologyEdge> topology, DataStream<Incident> incidents,
            DataStream<Alert> annotatedAlerts) {}

    private CorrelationWorkflow() {}

    public static Outputs build(DataStream<Span> spans, DataStream<Alert> alerts, CorrelationConfig config) {
        DataStream<EdgeStats> edgeCounts = spans
                .filter(new EdgeAggregation.HasCaller())
                .uid(Uid.CORRELATE_EDGE_FILTER.id()).name("Correlate: spans with caller")
                .keyBy(EdgeAggregation::key)
                .window(TumblingEventTimeWindows.of(Duration.ofMillis(config.graphIntervalMs())))
                .aggregate(new EdgeAggregation.Count(), new EdgeAggregation.Stamp(),
                        TypeInformation.of(EdgeStats.class), TypeInformation.of(EdgeStats.class),
                        TypeInformation.of(EdgeStats.class))
                .uid(Uid.CORRELATE_EDGE_WINDOWS.id()).name("Correlate: edge counts per window");
        SingleOutputStreamOperator<TopologyEdge> topology = edgeCounts
                .keyBy(new Constant<>())
                .process(new DependencyGraphFunction(config))
                .returns(TypeInformation.of(TopologyEdge.class))
                .uid(Uid.CORRELATE_GRAPH.id()).name("Correlate: dependency graph")
                .setParallelism(1).setMaxParallelism(1);
        SingleOutputStreamOperator<Incident> incidents;
        if (config.partitionLabel() == null) {
            incidents = alerts
                    .keyBy(new Constant<>())
                    .connect(topology.broadcast(IncidentCorrelator.GRAPH))
                    .process(new IncidentCorrelator(config))
                    .returns(TypeInformation.of(Incident.class))
                    .uid(Uid.CORRELATE_INCIDENTS.id()).name("Correlate: incidents")
                    .setParallelism(1).setMaxParallelism(1);
        } else {
            // One key per label value (hashed; a collision only co-locates two values — joins still compare
            // the value itself), spread over the job's parallelism; the graph reaches every subtask.
            incidents = alerts
                    .keyBy(new PartitionKey(config))
                    .connect(topology.broadcast(IncidentCorrelator.GRAPH))
                    .process(new IncidentCorrelator(config))
                    .returns(TypeInformation.of(Incident.class))
                    .uid(Uid.CORRELATE_INCIDENTS_PARTITIONED.id())
                    .name("Correlate: incidents by " + config.partitionLabel());
        }
        return new Outputs(topology, incidents, incidents.getSideOutput(IncidentCorrelator.ANNOTATED));
    }

    /** Key of the partitioned incident operator: the hash of the alert's partition label value. */
    public static final class PartitionKey implements KeySelector<Alert, Integer> {
        private static final long serialVersionUID = 1L;
        private final CorrelationConfig config;

        public PartitionKey(CorrelationConfig config) {
            this.config = config;
        }

        @Override
        public Integer getKey(Alert a) {
            return config.partitionOf(a).hashCode();
        }
    }

    /** One global key: the graph and the incidents are small and need a global view. */
    public static final class Constant<T> implements KeySelector<T, Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer getKey(T value) {
            return 0;
        }
    }
}
