package io.hawkeye.tools.detect;

import io.hawkeye.jobs.detect.Scores;
import io.hawkeye.tools.Charts;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.UserError;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./hawkeye backtest --input PATH --output PATH}: runs the streaming detectors offline over a CSV file or
 * every {@code *.csv} below a directory (the output mirrors the tree), in one JVM; see {@link Backtest} for the
 * formats. Prints precision/recall/F1 (point-wise and event-wise) per file and overall when the input has a
 * label column, and per fault type with {@code --ground-truth} ({@link FaultScores}). Files are processed in
 * parallel ({@code --threads}), each by its own detector instances, so the results do not depend on it.
 */
@Command(name = "backtest", mixinStandardHelpOptions = true,
        description = "Run the anomaly detectors offline over CSV files (no look-ahead) and score them.")
public class BacktestCommand extends ToolCommand {
    @Option(names = "--input", required = true, description = "A CSV file or a directory of *.csv files.")
    Path input;

    @Option(names = "--output", required = true, description = "Output CSV file, or directory when --input is one.")
    Path output;

    @Option(names = "--plot", paramLabel = "OUT.png",
            description = "Chart of one input file: per series (the first 4) its value with alerts (red) and labels "
                    + "(green) shaded, and its anomaly score.")
    Path plot;

    @Option(names = "--warm-up", defaultValue = "2d",
            description = "With --ground-truth: false alerts starting this long after the first row are reported "
                    + "apart and not counted (the detectors' learning period; default ${DEFAULT-VALUE}).")
    java.time.Duration warmUp;

    @Option(names = "--ground-truth", paramLabel = "FILE",
            description = "Faults of a simulator run (simulate --ground-truth): print precision, recall, F1 and "
                    + "detection delay per fault type.")
    Path groundTruth;

    @Mixin
    DetectorOptions detectors;

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws Exception {
        Backtest backtest = detectors.backtest();
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
            throw new NoSuchFileException(input.toString());
        }
        if (plot != null && dir) throw new UserError("--plot charts one file: give --input a CSV file, not a directory");
        Charts.checkOutput(plot, "--plot");
        FaultScores faults = groundTruth == null ? null
                : new FaultScores(FaultScores.load(groundTruth), warmUp.toMillis());
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(detectors.threadsFor(files.size()));
        List<Future<Backtest.Outcome>> results = new ArrayList<>();
        try {
            for (Path f : files) {
                Path target = dir ? output.resolve(input.relativize(f)) : output;
                results.add(pool.submit(() -> {
                    if (target.getParent() != null) Files.createDirectories(target.getParent());
                    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8);
                            Writer w = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
                        return backtest.run(r, w);
                    } catch (UserError e) {
                        throw new UserError(f + ": " + e.getMessage(), e);
                    }
                }));
            }
            Scores total = null;
            int failed = 0;
            long rows = 0;
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                Backtest.Outcome o;
                try {
                    o = results.get(i).get();
                } catch (ExecutionException e) {
                    // One input file: its problem is the command's (a bad CSV is a user error, exit 2).
                    if (files.size() == 1 && e.getCause() instanceof Exception cause) throw cause;
                    failed++;
                    err.println(spec.qualifiedName() + ": " + f + ": " + e.getCause().getMessage());
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
                rows += o.rows;
                if (faults != null) faults.add(FaultScores.serviceOf(dir ? input.relativize(f) : f.getFileName()), o);
                if (o.hasTruth) {
                    Scores s = Scores.of(o.predicted, o.truth);
                    total = total == null ? s : total.plus(s);
                    out.println(f + ": " + o.rows + " rows; " + s.summary());
                } else if (files.size() <= 100) {
                    out.println(f + ": " + o.rows + " rows");
                }
            }
            if (plot != null && failed == 0) {
                BacktestChart.write(results.get(0).get(), input.getFileName().toString(), plot);
                out.println("chart: " + plot);
            }
            if (total != null && files.size() > 1) out.println("overall: " + total.summary());
            if (faults != null) out.print(faults.report());
            out.printf("%d file(s), %d rows in %.1f s%n", files.size(), rows, (System.nanoTime() - t0) / 1e9);
            return failed == 0 ? 0 : 1;
        } finally {
            pool.shutdownNow();
        }
    }
}
