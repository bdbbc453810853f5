package io.hawkeye.tools.detect;

import io.hawkeye.tools.UserError;
import picocli.CommandLine.Option;

/**
 * {@code --false-alarms-per-week}, the seasonal detectors' false-alarm budget of {@code backtest} and
 * {@code evaluate} (a picocli mixin): the job's {@code detect.false-alarms-per-week}, with its default.
 */
public final class BudgetOption {
    @Option(names = "--false-alarms-per-week", defaultValue = "1", paramLabel = "N",
            description = "False-alarm budget per series and week of the seasonal detectors: a window counts towards "
                    + "an alert when the series' tail model puts an excursion as far out at probability <= N / windows "
                    + "per week (default ${DEFAULT-VALUE}, the job's detect.false-alarms-per-week); 0 = fixed fire "
                    + "score 0.9.")
    public double falseAlarmsPerWeek;

    /** The budget, checked: ≥ 0. */
    public double value() {
        if (!(falseAlarmsPerWeek >= 0)) {
            throw new UserError("--false-alarms-per-week must be >= 0, got " + falseAlarmsPerWeek);
        }
        return falseAlarmsPerWeek;
    }
}
