package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.detect.multivariate.MultivariateState;
import io.hawkeye.json.ValueRecord;

/**
 * Keyed state of {@link MultivariateDetectionFunction} for one service, apart from the fitted model (kept in its
 * own state entry, written only at refits): the training sample and counters, one alert lifecycle per detector,
 * and timer bookkeeping. A Flink POJO, ≈ 20.6 KB at the default 512 × 5 sample.
 */
public class MultivariateServiceState extends ValueRecord {
    public String service;
    public MultivariateState detector = new MultivariateState();
    public LifecycleState forestLifecycle = new LifecycleState();
    public LifecycleState relationshipLifecycle = new LifecycleState();
    public long windowSizeMs;
    /** End of the last window scored. */
    public long lastSeenEnd;
    /** Pending idle-cleanup timer (0 = none), moved lazily. */
    public long cleanupTimer;

    public MultivariateServiceState() {}
}
