package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.SeasonalState;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** State and records of the detectors are Flink POJOs without a Kryo fallback (RocksDB-friendly). */
class DetectionPojoTest {
    @Test
    void seasonalStateIsAPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SeasonalState.class);
    }

    @Test
    void lifecycleStateIsAPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(LifecycleState.class);
    }

    @Test
    void alertIsAPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(Alert.class);
    }

    @Test
    void streamingDetectionRecordsAndStateArePojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SignalObservation.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(AnomalyScore.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(SeriesState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RuleDefinition.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(RuleUpdate.class);
    }

    @Test
    void multivariateStateIsPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(io.hawkeye.detect.multivariate.MultivariateState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(io.hawkeye.detect.multivariate.MultivariateModel.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(MultivariateServiceState.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ServiceWindow.class);
    }
}
