package io.hawkeye.tools.scale;

import io.hawkeye.config.Durations;
import io.hawkeye.forecast.Backtest;
import io.hawkeye.forecast.ForecasterConfig;
import io.hawkeye.tools.Charts;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.UserError;
import io.hawkeye.tools.csv.CsvLine;
import io.hawkeye.tools.csv.Timestamps;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code forecast}: rolling-origin backtest of the streaming forecaster ({@link io.hawkeye.forecast
 * .SeasonalForecaster}, the same class the scaling job uses) on a CSV time series.
 *
 * <p>Input: {@code timestamp,value} rows, header optional; timestamps {@code YYYY-MM-DD HH:MM:SS} (UTC),
 * RFC 3339 with or without offset (UTC when absent), or epoch seconds / milliseconds (values above 10^11
 * are milliseconds). The step is the median difference of timestamps. Rows that cannot be parsed are
 * reported on stderr and skipped. Output: the input rows in order with {@code forecast,lower,upper}, where
 * row t's forecast comes from the forecaster state after ingesting exactly the rows with timestamp ≤ t − h.
 * Prints MAE of the forecast, naive (last value at or before t − h) and seasonal naive (value at t − 1 day;
 * and t − 1 week when the input spans ≥ 2 weeks) over the last 25% of rows, and interval coverage.
 */
@Command(name = "forecast", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Backtest the online seasonal forecaster on a CSV time series (timestamp,value).")
public final class ForecastCommand extends ToolCommand {

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "CSV with timestamp,value.")
    Path input;

    @Option(names = "--horizon", defaultValue = "15min", description = "Forecast horizon, e.g. 15min, 1h "
            + "(default: ${DEFAULT-VALUE}).")
    Duration horizon;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = "Output CSV: timestamp,value,forecast,lower,upper.")
    Path output;

    @Option(names = "--plot", paramLabel = "OUT.png",
            description = "Chart of the evaluated rows: the series, the forecast one horizon ahead and its interval.")
    Path plot;

    @Option(names = "--transform", defaultValue = "log", description = "log (rates, multiplicative "
            + "seasonality) or identity (additive, e.g. utilisation) (default: ${DEFAULT-VALUE}).")
    String transform;

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws IOException {
        Duration h = horizon;
        if (h.isZero()) throw new UserError("--horizon must be > 0");
        if (!transform.equalsIgnoreCase("log") && !transform.equalsIgnoreCase("identity")) {
            throw new UserError("--transform must be log or identity, got '" + transform + "'");
        }
        Charts.checkOutput(plot, "--plot");
        List<String> rawTs = new ArrayList<>();
        List<Long> tsList = new ArrayList<>();
        List<Double> vList = new ArrayList<>();
        int lineNo = 0;
        int skipped = 0;
        for (String line : Files.readAllLines(input, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.split(",", -1);
            if (parts.length < 2) {
                skipped++;
                err.printf("line %d: expected timestamp,value%n", lineNo);
                continue;
            }
            String t = CsvLine.unquote(parts[0]);
            String v = CsvLine.unquote(parts[1]);
            long ts = Timestamps.epochMillis(t);
            double value;
            try {
                value = v.isEmpty() ? Double.NaN : Double.parseDouble(v);
            } catch (NumberFormatException e) {
                value = Double.NaN;
                if (ts != Timestamps.NONE) {
                    err.printf("line %d: value '%s' is not a number; kept as missing%n", lineNo, v);
                }
            }
            if (ts == Timestamps.NONE) {
                if (lineNo == 1) {
                    continue; // header
                }
                skipped++;
                err.printf("line %d: unparseable timestamp '%s'%n", lineNo, t);
                continue;
            }
            rawTs.add(t);
            tsList.add(ts);
            vList.add(value);
        }
        if (tsList.size() < 2) throw new UserError("--input " + input + ": need at least two timestamp,value rows");
        long[] ts = tsList.stream().mapToLong(Long::longValue).toArray();
        double[] values = vList.stream().mapToDouble(Double::doubleValue).toArray();
        long step = Backtest.inferStepMillis(ts);
        ForecasterConfig config = ForecasterConfig.of(Duration.ofMillis(step), h)
                .with(b -> b.transform = ForecasterConfig.Transform.valueOf(transform.toUpperCase(Locale.ROOT)));
        Backtest.Result r = Backtest.run(ts, values, config);
        try (BufferedWriter w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
            w.write("timestamp,value,forecast,lower,upper\n");
            for (int i = 0; i < ts.length; i++) {
                w.write(rawTs.get(i));
                w.write(',');
                w.write(fmt(values[i]));
                w.write(',');
                w.write(fmt(r.forecast()[i]));
                w.write(',');
                w.write(fmt(r.lower()[i]));
                w.write(',');
                w.write(fmt(r.upper()[i]));
                w.write('\n');
            }
        }
        out.printf(Locale.ROOT, "rows %d (skipped %d), step %s, horizon %s, evaluation: last %d rows%n",
                ts.length, skipped, Duration.ofMillis(step), h, ts.length - r.evalFrom());
        line(out, "forecast", r, r.forecast());
        line(out, "naive (t - horizon)", r, r.naive());
        line(out, "seasonal naive (t - 1 day)", r, r.seasonalDay());
        if (ts[ts.length - 1] - ts[0] >= 14 * 86_400_000L) {
            line(out, "seasonal naive (t - 1 week)", r, r.seasonalWeek());
        } else {
            out.println("seasonal naive (t - 1 week): n/a (less than 2 weeks of data)");
        }
        out.printf(Locale.ROOT, "interval p%.0f-p%.0f coverage %.3f (nominal %.2f), below upper %.3f (nominal %.2f)%n",
                config.lowerQuantile() * 100, config.upperQuantile() * 100, r.coverage(),
                config.upperQuantile() - config.lowerQuantile(), r.upperCoverage(), config.upperQuantile());
        if (plot != null) {
            ForecastChart.write(ts, values, r, input.getFileName() + ": forecast " + Durations.format(h) + " ahead, p" + Math.round(config.lowerQuantile() * 100) + "-p"
                    + Math.round(config.upperQuantile() * 100) + " interval", plot);
            out.println("chart: " + plot);
        }
        return 0;
    }

    private static void line(PrintWriter out, String name, Backtest.Result r, double[] pred) {
        out.printf(Locale.ROOT, "MAE %-28s %12.4f  (%d rows)%n", name, r.mae(pred), r.count(pred));
    }

    private static String fmt(double d) {
        if (Double.isNaN(d)) {
            return "";
        }
        return String.format(Locale.ROOT, "%.6g", d);
    }
}
