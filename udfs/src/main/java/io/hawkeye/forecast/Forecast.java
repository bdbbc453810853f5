package io.hawkeye.forecast;

/**
 * A point forecast with a prediction interval, in the units of the observed values.
 *
 * @param targetMillis  the instant forecast
 * @param horizonMillis distance from the last observation to the target
 * @param value         point forecast (median in the transformed space)
 * @param lower         lower bound (config's lower quantile), NaN while the interval is not calibrated
 * @param upper         upper bound (config's upper quantile, e.g. p90), NaN while not calibrated
 * @param phase         which components the forecast used
 */
public record Forecast(long targetMillis, long horizonMillis, double value, double lower, double upper,
                       Phase phase) {

    /** Warm-up state of the model. */
    public enum Phase {
        /** Less than one day of history: level + deviation only, no seasonal profile. */
        LEARNING,
        /** Time-of-day profile in use. */
        DAILY,
        /** Time-of-day and time-of-week profiles in use (at least two weeks of history). */
        WEEKLY
    }

    public boolean hasInterval() {
        return !Double.isNaN(lower) && !Double.isNaN(upper);
    }
}
