package io.hawkeye.tools.scale;

import io.hawkeye.capacity.TwinModel;
import io.hawkeye.tools.Charts;
import io.hawkeye.topology.Topology;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The capacity curves of a topology (headless PNG): per service, its span p99 (log scale) and its utilisation
 * against the entry request rate, from 5 % to 97 % of the rate at which the bottleneck saturates; dashed lines
 * at ρ = 0.8 and ρ = 1, a vertical line at the bottleneck's saturation rate and one at each evaluated rate.
 */
final class CapacityChart {
    static final int POINTS = 24;

    private CapacityChart() {}

    /** A palette of distinguishable colours, the same service in the same colour on both plots. */
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf), new Color(0x393b79), new Color(0x637939), new Color(0x8c6d31),
        new Color(0x843c39), new Color(0x7b4173), new Color(0x3182bd)};

    static void write(Topology t, List<Double> evaluated, int samples, long seed, String title, Path png,
            java.io.PrintWriter progress) throws IOException {
        TwinModel.Result base = TwinModel.evaluate(t, TwinModel.baseEntryRps(t), samples, seed);
        double saturation = base.bottleneck() == null ? Double.NaN
                : base.services().get(base.bottleneck()).saturationEntryRps();
        double top = Double.isFinite(saturation) ? saturation
                : 2 * evaluated.stream().mapToDouble(Double::doubleValue).max().orElse(TwinModel.baseEntryRps(t));
        Map<String, XYSeries> p99 = new LinkedHashMap<>();
        Map<String, XYSeries> rho = new LinkedHashMap<>();
        long lastReport = System.nanoTime();
        for (int k = 0; k < POINTS; k++) {
            if (System.nanoTime() - lastReport > 2_000_000_000L) { // progress every 2 s
                progress.printf("charting: %d of %d entry rates%n", k, POINTS);
                progress.flush();
                lastReport = System.nanoTime();
            }
            double rate = top * (0.05 + 0.92 * k / (POINTS - 1));
            TwinModel.Result r = TwinModel.evaluate(t, rate, samples, seed);
            for (TwinModel.ServiceResult s : r.services().values()) {
                if (Double.isFinite(s.p99Ms()) && s.p99Ms() > 0) {
                    p99.computeIfAbsent(s.service(), n -> new XYSeries(n)).add(rate, s.p99Ms());
                }
                rho.computeIfAbsent(s.service(), n -> new XYSeries(n)).add(rate, s.utilisation());
            }
        }
        NumberAxis x = new NumberAxis("entry request rate (req/s)");
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(x);
        plot.setGap(8);
        LogarithmicAxis latency = new LogarithmicAxis("span p99 (ms, log)");
        latency.setAllowNegativesFlag(false);
        XYSeriesCollection latencies = new XYSeriesCollection();
        p99.values().forEach(latencies::addSeries);
        List<String> services = List.copyOf(rho.keySet());
        XYPlot top1 = new XYPlot(latencies, null, latency, renderer(List.copyOf(p99.keySet()), services, true));
        XYSeriesCollection utilisations = new XYSeriesCollection();
        rho.values().forEach(utilisations::addSeries);
        NumberAxis u = new NumberAxis("utilisation ρ");
        u.setRange(0, 1.05);
        XYPlot bottom = new XYPlot(utilisations, null, u, renderer(services, services, p99.size() < services.size()));
        for (double level : new double[] {0.8, 1.0}) {
            ValueMarker m = new ValueMarker(level, Color.GRAY, dashed());
            bottom.addRangeMarker(m, Layer.BACKGROUND);
        }
        for (XYPlot p : List.of(top1, bottom)) {
            Charts.style(p);
            if (Double.isFinite(saturation)) {
                ValueMarker m = new ValueMarker(saturation, new Color(0xd62728), dashed());
                m.setLabel(p == top1 ? base.bottleneck() + " saturates" : null);
                m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
                m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_RIGHT);
                p.addDomainMarker(m, Layer.FOREGROUND);
            }
            for (double rate : evaluated) p.addDomainMarker(new ValueMarker(rate, Color.DARK_GRAY, new BasicStroke(1f)));
        }
        plot.add(top1, 3);
        plot.add(bottom, 2);
        Charts.savePng(title, plot, true, png, 1400, 900);
    }

    private static BasicStroke dashed() {
        return new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f);
    }

    /** Lines in each service's palette colour; in the legend once (the top plot, or here if not all are there). */
    private static XYLineAndShapeRenderer renderer(List<String> series, List<String> services, boolean legend) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesStroke(i, new BasicStroke(1.5f));
            r.setSeriesPaint(i, PALETTE[services.indexOf(series.get(i)) % PALETTE.length]);
            r.setSeriesVisibleInLegend(i, legend);
        }
        return r;
    }
}
