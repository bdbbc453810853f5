package io.hawkeye.tools;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;

/** What the commands' {@code --plot} charts share: the output check, the look, and headless PNG rendering. */
public final class Charts {
    static {
        System.setProperty("java.awt.headless", "true"); // no display needed, before any chart is rendered
    }

    private Charts() {}

    /** A user error (one line, exit 2) when the directory of the file {@code option} names does not exist. */
    public static void checkOutput(Path file, String option) {
        if (file == null) return;
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) throw new UserError(option + " " + file + ": no such directory");
    }

    /** White background and light grey grid lines: the look of every plot. */
    public static void style(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }

    /** Renders {@code plot} under {@code title} on white into a {@code width} × {@code height} PNG. */
    public static void savePng(String title, Plot plot, boolean legend, Path png, int width, int height)
            throws IOException {
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, legend);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
    }
}
