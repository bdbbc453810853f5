package io.hawkeye.tools.scale;

import io.hawkeye.tools.cli.HawkeyeCli;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ForecastCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesEveryRowWithForecastsAndPrintsMetrics() throws Exception {
        Path in = dir.resolve("in.csv");
        Path out = dir.resolve("out.csv");
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        SplittableRandom rng = new SplittableRandom(3);
        long start = Instant.parse("2024-03-04T00:00:00Z").getEpochSecond();
        int rows = 0;
        for (int i = 0; i < 4 * 24 * 12; i++) { // 4 days at 5 minutes
            if (i % 97 == 5) {
                continue; // gaps
            }
            double hour = (i * 5 / 60.0) % 24;
            double v = 100 * (1 + 0.5 * Math.sin(2 * Math.PI * hour / 24)) * (1 + 0.05 * (rng.nextDouble() - 0.5));
            sb.append(start + i * 300L).append(',').append(v).append('\n');
            rows++;
        }
        Files.writeString(in, sb.toString());
        StringWriter sw = new StringWriter();
        CommandLine cl = HawkeyeCli.configure(new CommandLine(new ForecastCommand()));
        cl.setOut(new PrintWriter(sw));
        int code = cl.execute("--input", in.toString(), "--horizon", "30m", "--output", out.toString());
        assertThat(code).isZero();
        System.out.println(sw);
        assertThat(sw.toString()).contains("step PT5M", "MAE forecast", "MAE naive", "seasonal naive (t - 1 day)",
                "less than 2 weeks", "coverage");
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("timestamp,value,forecast,lower,upper");
        assertThat(lines).hasSize(rows + 1);
        assertThat(lines.get(1)).startsWith(Long.toString(start) + ",").endsWith(",,,"); // nothing known yet
        String[] last = lines.get(lines.size() - 1).split(",", -1);
        assertThat(last).hasSize(5);
        assertThat(Double.parseDouble(last[2])).isPositive();
        assertThat(Double.parseDouble(last[4])).isGreaterThanOrEqualTo(Double.parseDouble(last[2]));
    }

    @Test
    void plotsTheSeriesTheForecastAndItsInterval() throws Exception {
        Path in = dir.resolve("in.csv");
        StringBuilder sb = new StringBuilder("timestamp,value\n");
        long start = Instant.parse("2024-03-04T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 3 * 24 * 12; i++) {
            double hour = (i * 5 / 60.0) % 24;
            sb.append(start + i * 300L).append(',').append(100 + 50 * Math.sin(2 * Math.PI * hour / 24)).append('\n');
        }
        Files.writeString(in, sb.toString());
        Path png = dir.resolve("forecast.png");
        StringWriter sw = new StringWriter();
        CommandLine cl = HawkeyeCli.configure(new CommandLine(new ForecastCommand()));
        cl.setOut(new PrintWriter(sw));
        int code = cl.execute("--input", in.toString(), "--horizon", "30m", "--output",
                dir.resolve("out.csv").toString(), "--plot", png.toString());
        assertThat(code).isZero();
        assertThat(sw.toString()).contains("chart: " + png);
        java.awt.image.BufferedImage img = javax.imageio.ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1600);
        assertThat(img.getHeight()).isEqualTo(700);
        int forecastLine = 0;
        int valueLine = 0;
        for (int x = 0; x < img.getWidth(); x += 2) {
            for (int y = 0; y < img.getHeight(); y += 2) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (b > r + 30 && b > g + 10) forecastLine++; // the forecast's blue line and its shaded interval
                if (r == g && g == b && r < 0x80) valueLine++; // the series' dark grey line (and text)
            }
        }
        assertThat(forecastLine).as("forecast and interval drawn").isGreaterThan(500);
        assertThat(valueLine).as("series drawn").isGreaterThan(200);
    }

    @Test
    void aPlotIntoAMissingDirectoryIsOneLineAndExit2() throws Exception {
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "timestamp,value\n1700000000,1\n1700000300,2\n");
        StringWriter err = new StringWriter();
        CommandLine cl = HawkeyeCli.configure(new CommandLine(new ForecastCommand()));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("--input", in.toString(), "--output", dir.resolve("o.csv").toString(), "--plot",
                dir.resolve("missing/f.png").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1).allMatch(l -> l.contains("--plot") && l.contains("no such directory"));
    }
}
