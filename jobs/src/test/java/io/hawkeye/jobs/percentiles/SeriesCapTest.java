package io.hawkeye.jobs.percentiles;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.stats.StatsAccumulator;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

class SeriesCapTest {
    static final long T0 = 1_767_268_800_000L;
    static final long MINUTE = 60_000;

    static PartialAggregate partial(String name, long windowStart) {
        StatsAccumulator acc = new StatsAccumulator(0.01);
        acc.add(10, windowStart + 1, false);
        return new PartialAggregate("api", name, null, windowStart, windowStart + MINUTE, acc.snapshot());
    }

    @Test
    void admitsUpToTheCapFoldsTheRestAndFreesIdleNames() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new SeriesCap(new SeriesCap.Config(2, 10 * MINUTE))), (PartialAggregate p) -> p.service, Types.STRING);
        h.open();
        try (h) {
            h.processElement(partial("a", T0), T0);
            h.processElement(partial("b", T0), T0);
            h.processElement(partial("c", T0), T0);
            h.processElement(partial("a", T0 + MINUTE), T0 + MINUTE);
            assertThat(h.extractOutputValues()).extracting(p -> p.name).containsExactly("a", "b", "_other", "a");
            // b has no window for 10 minutes: it leaves the cap, c gets its place; a (still active) keeps its own.
            for (int m = 2; m <= 12; m++) h.processElement(partial("a", T0 + m * MINUTE), T0 + m * MINUTE);
            h.processWatermark(T0 + 14 * MINUTE);
            h.processElement(partial("c", T0 + 13 * MINUTE), T0 + 13 * MINUTE);
            h.processElement(partial("d", T0 + 13 * MINUTE), T0 + 13 * MINUTE);
            var names = h.extractOutputValues().stream().map(p -> p.name).toList();
            assertThat(names.subList(names.size() - 2, names.size())).containsExactly("c", "_other");
            // Nothing active any more: the service's state goes entirely.
            h.processWatermark(T0 + 60 * MINUTE);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }
}
