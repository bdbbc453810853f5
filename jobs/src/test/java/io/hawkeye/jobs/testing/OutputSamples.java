package io.hawkeye.jobs.testing;

import io.hawkeye.jobs.Output;
import io.hawkeye.jobs.Outputs;
import io.hawkeye.jobs.correlate.TopologyEdge;
import io.hawkeye.json.OutputRecordFixtures;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** One record of each output row, for the tests of the rows' serializers and documents. */
public final class OutputSamples {
    private OutputSamples() {}

    /**
     * A record of each of {@code outputs}, in their order: the JSON fixtures of the udfs tests, and a learned edge
     * web → db. A mutable map.
     */
    public static Map<Output<?>, Object> of(Collection<Output<?>> outputs) {
        Map<Output<?>, Object> all = new LinkedHashMap<>();
        all.put(Outputs.WINDOW_STATS, OutputRecordFixtures.endpointWindow());
        all.put(Outputs.METRIC_STATS, OutputRecordFixtures.metric());
        all.put(Outputs.CALL_EDGES, OutputRecordFixtures.callEdge());
        all.put(Outputs.DEAD_LETTERS, OutputRecordFixtures.textDeadLetter());
        all.put(Outputs.ALERTS, OutputRecordFixtures.firingAlert());
        all.put(Outputs.ANNOTATED_ALERTS, OutputRecordFixtures.firingAlert());
        all.put(Outputs.INCIDENTS, OutputRecordFixtures.openIncident());
        all.put(Outputs.FORECASTS, OutputRecordFixtures.forecast());
        all.put(Outputs.SCALING_ACTIONS, OutputRecordFixtures.action());
        all.put(Outputs.FORECAST_SCORES, OutputRecordFixtures.score());
        all.put(Outputs.TOPOLOGY, TopologyEdge.of("web", "db", false));
        Map<Output<?>, Object> samples = new LinkedHashMap<>();
        for (Output<?> o : outputs) {
            Object sample = all.get(o);
            if (sample == null) throw new IllegalArgumentException("no sample record for output " + o.name());
            samples.put(o, sample);
        }
        return samples;
    }
}
