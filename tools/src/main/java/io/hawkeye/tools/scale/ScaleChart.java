package io.hawkeye.tools.scale;

import io.hawkeye.tools.Charts;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Date;
import java.util.TimeZone;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.time.FixedMillisecond;
import org.jfree.data.time.TimeSeries;
import org.jfree.data.time.TimeSeriesCollection;

/**
 * The chart of a trace replay (headless PNG): the load, the replicas asked for under both controllers, and the
 * SLO-violation minutes per hour of each. Long replays are averaged into buckets of a few minutes (at most
 * ~4 000 points per curve), so the replica curves show replica-minutes faithfully.
 */
final class ScaleChart {
    private static final Color PREDICTIVE = new Color(0x1f77b4);
    private static final Color HPA = new Color(0xd62728);

    private ScaleChart() {}

    static void write(TraceReplay.Result r, String title, Path png) throws IOException {
        int bucket = Math.max(1, (int) Math.ceil(r.minutes / 4000.0));
        TimeSeries load = new TimeSeries("load (req/s)");
        TimeSeries pred = new TimeSeries("predictive replicas");
        TimeSeries hpa = new TimeSeries("HPA replicas");
        for (int m0 = 0; m0 < r.minutes; m0 += bucket) {
            int n = Math.min(bucket, r.minutes - m0);
            double l = 0;
            double p = 0;
            double h = 0;
            for (int m = m0; m < m0 + n; m++) {
                l += r.load[m];
                p += r.predictiveReplicas[m];
                h += r.hpaReplicas[m];
            }
            FixedMillisecond t = new FixedMillisecond(r.start + m0 * ScaleReplay.MINUTE);
            load.add(t, l / n);
            pred.add(t, p / n);
            hpa.add(t, h / n);
        }
        TimeSeries vp = new TimeSeries("predictive violation min/h");
        TimeSeries vh = new TimeSeries("HPA violation min/h");
        for (int h0 = 0; h0 < r.minutes; h0 += 60) {
            int a = 0;
            int b = 0;
            for (int m = h0; m < Math.min(r.minutes, h0 + 60); m++) {
                if (r.predictiveViolated[m]) a++;
                if (r.hpaViolated[m]) b++;
            }
            FixedMillisecond t = new FixedMillisecond(r.start + h0 * ScaleReplay.MINUTE);
            vp.add(t, a);
            vh.add(t, b);
        }

        DateAxis time = new DateAxis("time (UTC)");
        time.setTimeZone(TimeZone.getTimeZone("UTC"));
        time.setRange(new Date(r.start), new Date(r.start + r.minutes * ScaleReplay.MINUTE));
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(time);
        plot.setGap(8);

        XYLineAndShapeRenderer loadR = new XYLineAndShapeRenderer(true, false);
        loadR.setSeriesPaint(0, Color.DARK_GRAY);
        loadR.setSeriesStroke(0, new BasicStroke(1f));
        plot.add(new XYPlot(new TimeSeriesCollection(load), null, new NumberAxis("req/s"), loadR), 2);

        TimeSeriesCollection reps = new TimeSeriesCollection();
        reps.addSeries(hpa);
        reps.addSeries(pred);
        XYStepRenderer repR = new XYStepRenderer();
        repR.setSeriesPaint(0, HPA);
        repR.setSeriesPaint(1, PREDICTIVE);
        repR.setSeriesStroke(0, new BasicStroke(1.2f));
        repR.setSeriesStroke(1, new BasicStroke(1.2f));
        NumberAxis repAxis = new NumberAxis("replicas");
        repAxis.setAutoRangeIncludesZero(true);
        plot.add(new XYPlot(reps, null, repAxis, repR), 2);

        TimeSeriesCollection viol = new TimeSeriesCollection();
        viol.addSeries(vh);
        viol.addSeries(vp);
        XYBarRenderer violR = new XYBarRenderer(0.0);
        violR.setBarPainter(new StandardXYBarPainter());
        violR.setShadowVisible(false);
        violR.setSeriesPaint(0, new Color(0xd6, 0x27, 0x28, 170));
        violR.setSeriesPaint(1, new Color(0x1f, 0x77, 0xb4, 200));
        NumberAxis violAxis = new NumberAxis("violation min / h");
        violAxis.setAutoRangeMinimumSize(5);
        plot.add(new XYPlot(viol, null, violAxis, violR), 1);

        for (Object o : plot.getSubplots()) Charts.style((XYPlot) o);
        Charts.savePng(title, plot, true, png, Math.max(1200, Math.min(2400, 300 + r.days * 70)), 900);
    }
}
