package io.hawkeye.tools.detect;

import io.hawkeye.tools.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The chart of one backtest file (headless PNG): per series (the first {@value #MAX_SERIES}), its value with the
 * alerting stretches shaded red and the labelled anomalies shaded green, and below it the anomaly score. Long
 * series are bucketed (at most ~3 000 points: mean value, highest score; a bucket alerts or is labelled when any
 * of its rows does).
 */
final class BacktestChart {
    static final int MAX_SERIES = 4;
    static final int MAX_POINTS = 3000;
    static final Color ALERT = new Color(0xd6, 0x27, 0x28, 150);
    static final Color LABEL = new Color(0x2c, 0xa0, 0x2c, 70);
    static final Color SCORE = new Color(0x1f77b4);

    private BacktestChart() {}

    static void write(Backtest.Outcome o, String title, Path png) throws IOException {
        Map<String, List<Integer>> rows = new LinkedHashMap<>();
        for (int i = 0; i < o.timestamps.size(); i++) {
            if (o.timestamps.get(i) == Long.MIN_VALUE) continue;
            String key = o.series.get(i);
            if (!rows.containsKey(key) && rows.size() == MAX_SERIES) continue;
            rows.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
        }
        DateAxis time = new DateAxis("time (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(6);
        for (Map.Entry<String, List<Integer>> e : rows.entrySet()) {
            String name = e.getKey().isEmpty() ? "value" : e.getKey();
            List<Integer> idx = e.getValue();
            int bucket = Math.max(1, (int) Math.ceil(idx.size() / (double) MAX_POINTS));
            XYSeries value = new XYSeries(name, false, true);
            XYSeries score = new XYSeries(name + " score", false, true);
            XYPlot valuePlot = new XYPlot(new XYSeriesCollection(value), null, axis(name, false),
                    line(Color.DARK_GRAY));
            // A stretch is at least 1/800 of the time range wide, so that a one-window alert stays visible.
            long minWidth = (o.timestamps.get(idx.get(idx.size() - 1)) - o.timestamps.get(idx.get(0))) / 800;
            long alertFrom = -1;
            long labelFrom = -1;
            long prevX = 0;
            for (int b0 = 0; b0 < idx.size(); b0 += bucket) {
                int end = Math.min(idx.size(), b0 + bucket);
                long x = o.timestamps.get(idx.get(b0));
                double sum = 0;
                int n = 0;
                double maxScore = 0;
                boolean alert = false;
                boolean label = false;
                for (int k = b0; k < end; k++) {
                    int i = idx.get(k);
                    double v = o.values.get(i);
                    if (!Double.isNaN(v)) {
                        sum += v;
                        n++;
                    }
                    maxScore = Math.max(maxScore, o.scores.get(i));
                    alert |= o.predicted.get(i);
                    label |= o.hasTruth && o.truth.get(i);
                }
                value.add(x, n == 0 ? null : sum / n);
                score.add(x, maxScore);
                alertFrom = shade(valuePlot, alert, alertFrom, x, prevX, minWidth, ALERT);
                labelFrom = shade(valuePlot, label, labelFrom, x, prevX, minWidth, LABEL);
                prevX = x;
            }
            shade(valuePlot, false, alertFrom, prevX, prevX, minWidth, ALERT);
            shade(valuePlot, false, labelFrom, prevX, prevX, minWidth, LABEL);
            NumberAxis scoreAxis = axis("score", true);
            scoreAxis.setRange(0, 1.02);
            XYPlot scorePlot = new XYPlot(new XYSeriesCollection(score), null, scoreAxis, line(SCORE));
            Charts.style(valuePlot);
            Charts.style(scorePlot);
            plot.add(valuePlot, 3);
            plot.add(scorePlot, 1);
        }
        Charts.savePng(title + "  (red: alerting; green: labelled anomaly)", plot, false, png, 1600,
                150 + 320 * Math.max(1, rows.size()));
    }

    /** Opens a shaded stretch at {@code x} when {@code on} starts, closes it at {@code prevX} when it stops. */
    private static long shade(XYPlot plot, boolean on, long from, long x, long prevX, long minWidth, Color color) {
        if (on && from < 0) return x;
        if (!on && from >= 0) {
            IntervalMarker m = new IntervalMarker(from, Math.max(prevX, from + Math.max(1, minWidth)));
            m.setPaint(color);
            m.setOutlinePaint(null);
            plot.addDomainMarker(m, Layer.BACKGROUND);
            return -1;
        }
        return from;
    }

    private static NumberAxis axis(String label, boolean zero) {
        NumberAxis a = new NumberAxis(label);
        a.setAutoRangeIncludesZero(zero);
        return a;
    }

    private static XYLineAndShapeRenderer line(Color color) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setSeriesPaint(0, color);
        r.setSeriesStroke(0, new BasicStroke(1f));
        return r;
    }
}
