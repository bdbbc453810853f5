package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.SeasonalState;
import io.hawkeye.detect.multivariate.MultivariateModel;
import io.hawkeye.detect.multivariate.MultivariateState;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** State and records of the detectors are Flink POJOs without a Kryo fallback (RocksDB-friendly). */
class DetectionPojoTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(classes = {
        // the seasonal detector's state, the alert lifecycle and the alerts
        SeasonalState.class, LifecycleState.class, Alert.class,
        // the streaming detection's records and state
        SignalObservation.class, AnomalyScore.class, SeriesState.class, RuleDefinition.class, RuleUpdate.class,
        // the multivariate detector's state
        MultivariateState.class, MultivariateModel.class, MultivariateServiceState.class, ServiceWindow.class,
    })
    void isAPojoWithoutKryo(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }
}
