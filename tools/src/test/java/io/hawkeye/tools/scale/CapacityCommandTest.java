package io.hawkeye.tools.scale;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.tools.cli.HawkeyeCli;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CapacityCommandTest {
    @TempDir
    Path dir;

    @Test
    void plotsLatencyAndUtilisationUpToTheBottlenecksSaturation() throws Exception {
        Path png = dir.resolve("capacity.png");
        StringWriter out = new StringWriter();
        CommandLine cl = HawkeyeCli.commandLine();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("capacity", "--topology", Path.of("..", "deploy", "topologies", "two-tier.yaml").toString(),
                "--samples", "2000", "--plot", png.toString());
        assertThat(code).isZero();
        assertThat(out.toString()).contains("bottleneck: ", "chart: " + png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1400);
        assertThat(img.getHeight()).isEqualTo(900);
        int saturationLine = 0;
        int curves = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            for (int y = 0; y < img.getHeight(); y++) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff;
                int g = (rgb >> 8) & 0xff;
                int b = rgb & 0xff;
                if (r > 190 && g < 80 && b < 80) saturationLine++;   // the bottleneck's dashed red line
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) curves++; // coloured pixels
            }
        }
        assertThat(saturationLine).as("the saturation marker").isGreaterThan(300);
        assertThat(curves).as("the service curves").isGreaterThan(3000);
    }

    @Test
    void aPlotIntoAMissingDirectoryIsOneLineAndExit2() {
        StringWriter err = new StringWriter();
        CommandLine cl = HawkeyeCli.commandLine();
        cl.setErr(new PrintWriter(err));
        int code = cl.execute("capacity", "--topology", Path.of("..", "deploy", "topologies", "two-tier.yaml").toString(),
                "--plot", dir.resolve("missing/c.png").toString());
        assertThat(code).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1).allMatch(l -> l.contains("--plot") && l.contains("no such directory"));
    }
}
