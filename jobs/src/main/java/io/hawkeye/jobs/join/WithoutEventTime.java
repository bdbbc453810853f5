package io.hawkeye.jobs.join;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Makes a side input without event time (rule updates) neutral to the event time of the operator it is connected
 * to: records pass unchanged, watermarks are dropped, and the output is announced idle once, when the operator
 * opens. A two-input operator takes its watermark from its active inputs only, so this input then neither holds
 * back nor pushes forward the event time of the main input.
 *
 * <p>Why not a watermark of {@code Long.MAX_VALUE} on the side input (what the rules source emitted before): an
 * operator's watermark is the minimum over its <em>active</em> inputs. When every partition of the main input
 * goes idle (telemetry paused for longer than {@code watermark.idleness}), the side input's {@code MAX_VALUE} was
 * the only one left and became the operator's watermark — for good, as a watermark never goes back. Everything
 * downstream (the incident operator's publication and resolution timers) was then at the end of time: timers
 * registered afterwards were due at times already passed and never fired, and incidents stopped being published
 * (issue 15). A bounded side input that finishes (the empty stand-in of {@code fromData}, a bounded Kafka source)
 * does the same with its final watermark; that one is dropped here too.
 */
public final class WithoutEventTime<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private static final long serialVersionUID = 1L;

    /** {@code side} without event time, at its parallelism (so it chains to its source). */
    public static <T> SingleOutputStreamOperator<T> of(DataStream<T> side, String uid, String name) {
        return side.transform(name, side.getType(), new WithoutEventTime<T>())
                .uid(uid).setParallelism(side.getParallelism());
    }

    @Override
    public void open() throws Exception {
        super.open();
        output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) {
        // dropped: this input has no event time
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // idle for good, whatever the source announces
    }
}
