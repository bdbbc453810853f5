package io.hawkeye.detect;

/** What a detector says about one window of one series. Values are in the series' own units. */
public final class DetectionResult {
    public enum State { LEARNING, READY }

    public final long timestamp;
    public final double value;
    public final double expected;
    public final double lower;
    public final double upper;
    /** Anomaly score in [0, 1]; 0 while LEARNING. */
    public final double score;
    /** Signed robust z-score in transformed units. */
    public final double z;
    /** +1 above expected, -1 below, 0 equal. */
    public final int direction;
    public final State state;
    /** The baseline in use: "level", "daily" or "weekly". */
    public final String model;
    /** 1 - error(seasonal)/error(level) of the model in use; 0 for the level model. */
    public final double seasonalStrength;
    /**
     * Estimated probability per window of an excursion at least this far out on this side, from the series' own
     * tail ({@link TailModel}); 1 while LEARNING. {@link #score} = {@link TailModel#score}(probability).
     */
    public final double probability;

    public DetectionResult(long timestamp, double value, double expected, double lower, double upper, double score,
            double z, int direction, State state, String model, double seasonalStrength) {
        this(timestamp, value, expected, lower, upper, score, z, direction, state, model, seasonalStrength, 1);
    }

    public DetectionResult(long timestamp, double value, double expected, double lower, double upper, double score,
            double z, int direction, State state, String model, double seasonalStrength, double probability) {
        this.probability = probability;
        this.timestamp = timestamp;
        this.value = value;
        this.expected = expected;
        this.lower = lower;
        this.upper = upper;
        this.score = score;
        this.z = z;
        this.direction = direction;
        this.state = state;
        this.model = model;
        this.seasonalStrength = seasonalStrength;
    }

    public boolean learning() {
        return state == State.LEARNING;
    }

    public String directionName() {
        return direction > 0 ? "up" : direction < 0 ? "down" : "none";
    }

    @Override
    public String toString() {
        return "Result{t=" + timestamp + " v=" + value + " exp=" + expected + " [" + lower + "," + upper + "] score="
                + score + " p=" + probability + " z=" + z + " " + state + " " + model + "}";
    }
}
