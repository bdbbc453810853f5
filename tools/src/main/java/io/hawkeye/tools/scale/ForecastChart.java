package io.hawkeye.tools.scale;

import io.hawkeye.forecast.Backtest;
import io.hawkeye.tools.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.TimeZone;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The chart of a forecast backtest (headless PNG): the series, the forecast made one horizon earlier and its
 * interval, over the evaluated rows. Long series are averaged into buckets (at most ~3 000 points per curve);
 * a bucket without values is a gap.
 */
final class ForecastChart {
    static final int MAX_POINTS = 3000;

    private ForecastChart() {}

    static void write(long[] ts, double[] values, Backtest.Result r, String title, Path png) throws IOException {
        int from = Math.min(r.evalFrom(), ts.length - 1);
        int n = ts.length - from;
        int bucket = Math.max(1, (int) Math.ceil(n / (double) MAX_POINTS));
        XYSeries actual = new XYSeries("value", false, true);
        YIntervalSeries forecast = new YIntervalSeries("forecast and interval");
        for (int i0 = from; i0 < ts.length; i0 += bucket) {
            int end = Math.min(ts.length, i0 + bucket);
            double x = ts[i0];
            double v = mean(values, i0, end);
            double f = mean(r.forecast(), i0, end);
            double lo = mean(r.lower(), i0, end);
            double hi = mean(r.upper(), i0, end);
            actual.add(x, Double.isNaN(v) ? null : v);
            if (!Double.isNaN(f) && !Double.isNaN(lo) && !Double.isNaN(hi)) forecast.add(x, f, lo, hi);
        }
        DateAxis time = new DateAxis("time (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        NumberAxis y = new NumberAxis("value");
        y.setAutoRangeIncludesZero(false);

        YIntervalSeriesCollection band = new YIntervalSeriesCollection();
        band.addSeries(forecast);
        DeviationRenderer bandR = new DeviationRenderer(true, false);
        bandR.setSeriesPaint(0, new Color(0x1f77b4));
        bandR.setSeriesFillPaint(0, new Color(0x1f, 0x77, 0xb4));
        bandR.setAlpha(0.25f);
        bandR.setSeriesStroke(0, new BasicStroke(1.2f));
        XYPlot plot = new XYPlot(band, time, y, bandR);

        XYLineAndShapeRenderer valueR = new XYLineAndShapeRenderer(true, false);
        valueR.setSeriesPaint(0, Color.DARK_GRAY);
        valueR.setSeriesStroke(0, new BasicStroke(1f));
        plot.setDataset(1, new XYSeriesCollection(actual));
        plot.setRenderer(1, valueR);
        Charts.style(plot);
        Charts.savePng(title, plot, true, png, 1600, 700);
    }

    private static double mean(double[] a, int from, int to) {
        double s = 0;
        int k = 0;
        for (int i = from; i < to; i++) {
            if (!Double.isNaN(a[i])) {
                s += a[i];
                k++;
            }
        }
        return k == 0 ? Double.NaN : s / k;
    }
}
