package io.hawkeye.jobs.join;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * {@link WithoutEventTime}: the side input is idle from the start, records pass, and no watermark (the source's
 * {@code Long.MAX_VALUE}, a bounded input's final one) and no status change gets through.
 */
class WithoutEventTimeTest {
    @Test
    void announcesIdleOncePassesRecordsAndDropsWatermarks() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> h =
                new OneInputStreamOperatorTestHarness<>(new WithoutEventTime<>())) {
            h.open();
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            h.processElement(new StreamRecord<>("rule", 7));
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            h.processWatermark(new Watermark(42));
            h.processWatermarkStatus(WatermarkStatus.IDLE);
            h.endInput();

            List<Object> out = new ArrayList<>(h.getOutput());
            assertThat(out).containsExactly(WatermarkStatus.IDLE, new StreamRecord<>("rule", 7));
        }
    }
}
