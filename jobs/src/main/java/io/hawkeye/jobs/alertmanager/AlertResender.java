package io.hawkeye.jobs.alertmanager;

import com.fasterxml.jackson.core.type.TypeReference;
import io.hawkeye.alerts.Alert;
import io.hawkeye.jobs.StateTtl;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by alert id: turns the annotated alerts' records into Alertmanager API v2 alerts and re-sends each firing
 * alert every {@code resend} (processing time), as Alertmanager expects from its clients; a firing alert's
 * {@code endsAt} is {@code 4 × resend} ahead, so Alertmanager resolves it by itself if the bridge stops. A
 * resolved record is sent once with its end and forgets the alert. When an alert's labels change (it joined an
 * incident, or the incident's root cause changed), the alert under its old labels is resolved at once, so that
 * Alertmanager never holds two copies of one alert. Records older than {@link #MAX_AGE} on arrival (a first start
 * that reads the topic from its beginning) are not sent: they would page for the past.
 */
public class AlertResender extends KeyedProcessFunction<String, Alert, String> {
    private static final long serialVersionUID = 1L;
    /** A record whose Kafka timestamp is older than this on arrival is history, not news. */
    static final Duration MAX_AGE = Duration.ofHours(1);

    private final AlertmanagerAlerts alerts;
    private final long resendMs;

    private transient ValueState<byte[]> firing;
    private transient ValueState<String> sentLabels;
    private transient ValueState<Long> timer;
    private transient Counter stale;

    public AlertResender(AlertmanagerAlerts alerts, Duration resend) {
        this.alerts = alerts;
        this.resendMs = resend.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        firing = getRuntimeContext().getState(descriptor("firing-alert", byte[].class));
        sentLabels = getRuntimeContext().getState(descriptor("sent-labels", String.class));
        timer = getRuntimeContext().getState(descriptor("resend-timer", Long.class));
        stale = getRuntimeContext().getMetricGroup().counter("alertmanagerStaleRecords");
    }

    private static <T> ValueStateDescriptor<T> descriptor(String name, Class<T> type) {
        ValueStateDescriptor<T> d = new ValueStateDescriptor<>(name, TypeInformation.of(type));
        d.enableTimeToLive(StateTtl.of(StateTtl.RESTORE_HORIZON));
        return d;
    }

    @Override
    public void processElement(Alert a, Context ctx, Collector<String> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        Long ts = ctx.timestamp();
        if (ts != null && ts < now - MAX_AGE.toMillis()) {
            stale.inc();
            return;
        }
        String labels = AlertmanagerAlerts.JSON.writeValueAsString(AlertmanagerAlerts.labels(a));
        String before = sentLabels.value();
        byte[] previous = firing.value();
        if (before != null && !before.equals(labels) && previous != null) {
            Map<String, String> old = AlertmanagerAlerts.JSON.readValue(before, new TypeReference<>() {});
            out.collect(alerts.payload(old, Alert.fromJson(previous), now));
        }
        Long t = timer.value();
        if (t != null) ctx.timerService().deleteProcessingTimeTimer(t);
        if (Alert.FIRING.equals(a.status)) {
            out.collect(alerts.payload(a, now + 4 * resendMs));
            firing.update(a.toJson());
            sentLabels.update(labels);
            timer.update(now + resendMs);
            ctx.timerService().registerProcessingTimeTimer(now + resendMs);
        } else {
            out.collect(alerts.payload(a, a.endsAt > 0 ? a.endsAt : now));
            firing.clear();
            sentLabels.clear();
            timer.clear();
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) throws Exception {
        byte[] a = firing.value();
        if (a == null) return;
        out.collect(alerts.payload(Alert.fromJson(a), timestamp + 4 * resendMs));
        timer.update(timestamp + resendMs);
        ctx.timerService().registerProcessingTimeTimer(timestamp + resendMs);
    }
}
