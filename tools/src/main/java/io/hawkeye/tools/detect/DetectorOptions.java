package io.hawkeye.tools.detect;

import io.hawkeye.tools.UserError;
import picocli.CommandLine.Option;

/**
 * The options {@code backtest} and {@code evaluate} share (a picocli mixin): how the detectors alert — {@code --for}
 * and {@code --false-alarms-per-week}, the job's {@code detect.for-windows} and {@code detect.false-alarms-per-week}
 * with their defaults — and how many files are scored at once ({@code --threads}).
 */
public final class DetectorOptions {
    @Option(names = "--for", defaultValue = "2",
            description = "Consecutive windows at or above the fire score before an alert (default ${DEFAULT-VALUE}, "
                    + "the job's detect.for-windows).")
    int forWindows;

    @Option(names = "--false-alarms-per-week", defaultValue = "1", paramLabel = "N",
            description = "False-alarm budget per series and week of the seasonal detectors: a window counts towards "
                    + "an alert when the series' tail model puts an excursion as far out at probability <= N / windows "
                    + "per week (default ${DEFAULT-VALUE}, the job's detect.false-alarms-per-week); 0 = fixed fire "
                    + "score 0.9.")
    double falseAlarmsPerWeek;

    @Option(names = "--threads", defaultValue = "0",
            description = "Files processed in parallel; 0 = one per core (default).")
    int threads;

    /** The detectors as the options set them (the job's defaults otherwise); a bad value is a {@link UserError}. */
    public Backtest backtest() {
        if (forWindows < 1) throw new UserError("--for must be >= 1, got " + forWindows);
        if (!(falseAlarmsPerWeek >= 0)) {
            throw new UserError("--false-alarms-per-week must be >= 0, got " + falseAlarmsPerWeek);
        }
        return Backtest.cliDefaults(forWindows, falseAlarmsPerWeek);
    }

    /** Threads for {@code files} files: the option, or one per core, never more than the files, at least one. */
    public int threadsFor(int files) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(n, files));
    }
}
