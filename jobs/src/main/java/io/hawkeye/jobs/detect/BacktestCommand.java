package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.LifecyclePolicy;
import io.hawkeye.detect.SeasonalConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./hawkeye backtest --input PATH --output PATH}: runs the streaming detectors offline over a CSV file or
 * every {@code *.csv} below a directory (the output mirrors the tree), in one JVM; see {@link Backtest} for the
 * formats. Prints precision/recall/F1 (point-wise and event-wise) per file and overall when the input has a
 * label column.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Run the anomaly detectors offline over CSV files (no look-ahead) and score them.")
public class BacktestCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, description = "A CSV file or a directory of *.csv files.")
    Path input;

    @Option(names = "--output", required = true, description = "Output CSV file, or directory when --input is one.")
    Path output;

    @Option(names = "--for", defaultValue = "1",
            description = "Consecutive windows with score >= 0.9 before a row is labelled (default ${DEFAULT-VALUE}).")
    int forWindows;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LifecyclePolicy policy = new LifecyclePolicy(0.9, 0.7, forWindows, 1, 1);
        Backtest backtest = new Backtest(SeasonalConfig.defaults(), policy);
        List<Path> files;
        boolean dir = Files.isDirectory(input);
        if (dir) {
            try (Stream<Path> s = Files.walk(input)) {
                files = s.filter(p -> Files.isRegularFile(p) && p.toString().toLowerCase().endsWith(".csv"))
                        .sorted().toList();
            }
        } else if (Files.isRegularFile(input)) {
            files = List.of(input);
        } else {
            err.println("backtest: no such file or directory: " + input);
            return 2;
        }
        Scores total = null;
        int failed = 0;
        long t0 = System.nanoTime();
        for (Path f : files) {
            Path target = dir ? output.resolve(input.relativize(f)) : output;
            if (target.getParent() != null) Files.createDirectories(target.getParent());
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8);
                    Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                Backtest.Outcome o = backtest.run(r, w);
                if (o.hasTruth) {
                    Scores s = Scores.of(o.predicted, o.truth);
                    total = total == null ? s : total.plus(s);
                    out.println(f + ": " + o.rows + " rows; " + s.summary());
                } else {
                    out.println(f + ": " + o.rows + " rows");
                }
            } catch (IOException | RuntimeException e) {
                failed++;
                err.println("backtest: " + f + ": " + e.getMessage());
            }
        }
        if (total != null && files.size() > 1) out.println("overall: " + total.summary());
        out.printf("%d file(s) in %.1f s%n", files.size(), (System.nanoTime() - t0) / 1e9);
        return failed == 0 ? 0 : 1;
    }
}
