package io.hawkeye.detect;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SeasonalDetector} with the default configuration and the state of its one series, fed one value a minute
 * from {@code t = 0}: how the tests of this package drive the detector.
 */
final class MinuteFeed {
    static final long MIN = 60_000;

    final SeasonalDetector detector;
    final SeasonalState state = new SeasonalState();
    /** The timestamp of the next value. */
    long t;

    MinuteFeed(SignalSpec spec) {
        detector = new SeasonalDetector(SeasonalConfig.defaults(), spec);
    }

    /** Scores {@code value} at minute {@link #t} and moves on to the next minute. */
    DetectionResult next(double value) {
        DetectionResult r = detector.update(state, t, value);
        t += MIN;
        return r;
    }

    /** {@link #next} of each value in turn: the results, one per value. */
    List<DetectionResult> run(double[] values) {
        List<DetectionResult> out = new ArrayList<>();
        for (double v : values) out.add(next(v));
        return out;
    }
}
