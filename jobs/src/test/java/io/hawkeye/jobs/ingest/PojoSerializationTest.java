package io.hawkeye.jobs.ingest;

import io.hawkeye.jobs.percentiles.PartialAggregate;
import io.hawkeye.jobs.percentiles.WindowState;
import io.hawkeye.stats.MetricStats;
import io.hawkeye.stats.StatsSnapshot;
import io.hawkeye.stats.WindowStats;
import io.hawkeye.telemetry.DeadLetter;
import io.hawkeye.telemetry.MetricSample;
import io.hawkeye.telemetry.Span;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every record that crosses the network or lives in state is a Flink POJO, never a Kryo fallback. */
class PojoSerializationTest {
    @ParameterizedTest
    @ValueSource(classes = {Span.class, MetricSample.class, DeadLetter.class, TelemetryEvent.class,
        PartialAggregate.class, WindowState.class, StatsSnapshot.class, WindowStats.class, MetricStats.class})
    void isSerializedAsPojoWithoutGenericTypes(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }
}
