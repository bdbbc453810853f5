package io.hawkeye.tools.rca;

import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.csv.CsvLine;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code rca}: batch root-cause ranking. Reads a dependency graph ({@link GraphFiles}) and metrics for a normal
 * and an abnormal period ({@link SignalCsv}), ranks every service with {@link RootCauseRanker} — the same code
 * as the streaming incident correlation — and writes {@code rank,service,score,explanation}, best first.
 * Method: docs/rca.md. Exit codes: 0 ranked, 2 invalid input.
 */
@Command(name = "rca", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Rank the likely root-cause services of an incident from a call graph and metrics.")
public final class RcaCommand extends ToolCommand {

    @Mixin
    RcaInputs inputs;

    @Option(names = "--symptom", paramLabel = "SERVICE",
            description = "Service where the problem was observed (default: the most anomalous entry service).")
    String symptom;

    @Option(names = "--output", paramLabel = "OUT.csv", description = "Write the full ranking as CSV here.")
    Path output;

    @Option(names = "--plot", paramLabel = "OUT.png",
            description = "Draw the call graph with the ranking on it (services filled by score, the top three "
                    + "outlined) into this PNG.")
    Path plot;

    @Option(names = "--top", defaultValue = "5", description = "Rows printed to stdout (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    protected int run(PrintWriter out, PrintWriter err) {
        io.hawkeye.tools.Charts.checkOutput(plot, "--plot");
        RcaInputs.Loaded in = inputs.load();
        if (in.skippedRows() > 0) {
            err.printf(Locale.ROOT, "rca: skipped %d malformed rows%n", in.skippedRows());
        }
        if (symptom != null && !in.graph().contains(symptom)) {
            err.println("rca: warning: symptom '" + symptom + "' is not in the graph");
        }
        if (in.skippedEdgeRows() > 0) {
            err.printf(Locale.ROOT, "rca: skipped %d malformed edge rows%n", in.skippedEdgeRows());
        }
        List<RankedCause> ranking = in.rank(new RootCauseRanker(), symptom);
        if (output != null) write(ranking, output);
        if (plot != null) {
            try {
                Path folder = inputs.abnormal.toAbsolutePath().getParent();
                String where = (folder == null || folder.getFileName() == null ? "" : folder.getFileName() + "/")
                        + inputs.abnormal.getFileName();
                RcaChart.save(in.graph(), ranking, "Root-cause ranking: " + where, plot);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + plot, e);
            }
        }
        out.printf(Locale.ROOT, "%-4s %-24s %-6s %s%n", "rank", "service", "score", "explanation");
        for (RankedCause c : ranking.subList(0, Math.min(top, ranking.size()))) {
            out.printf(Locale.ROOT, "%-4d %-24s %.4f %s%n", c.rank(), c.service(), c.score(), c.explanation());
        }
        if (plot != null) out.println("chart: " + plot);
        out.flush();
        return 0;
    }

    /** Writes {@code rank,service,score,explanation}. */
    public static void write(List<RankedCause> ranking, Path file) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("rank,service,score,explanation\n");
            for (RankedCause c : ranking) {
                w.write(c.rank() + "," + CsvLine.quote(c.service()) + ","
                        + String.format(Locale.ROOT, "%.6f", c.score()) + "," + CsvLine.quote(c.explanation())
                        + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
