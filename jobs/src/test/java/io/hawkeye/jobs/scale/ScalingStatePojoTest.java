package io.hawkeye.jobs.scale;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The scaler's state and join records are Flink POJOs (the output records are checked in udfs). */
class ScalingStatePojoTest {
    @ParameterizedTest
    @ValueSource(classes = {ServiceLoad.class, ScalerState.class})
    void isSerializedAsPojoWithoutGenericTypes(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }
}
