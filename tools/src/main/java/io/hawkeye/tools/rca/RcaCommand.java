package io.hawkeye.tools.rca;

import io.hawkeye.rca.EdgeData;
import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.rca.ServiceGraph;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.UserError;
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

    @Option(names = "--graph", required = true, paramLabel = "GRAPH",
            description = "Call graph: CSV with header caller,callee; a simulator topology YAML; or YAML "
                    + "{services: [...], edges: [{caller, callee}]}.")
    Path graph;

    @Option(names = "--normal", required = true, paramLabel = "NORMAL.csv",
            description = "Normal-period metrics, long format timestamp,service,signal,value.")
    Path normal;

    @Option(names = "--abnormal", required = true, paramLabel = "ABNORMAL.csv",
            description = "Abnormal-period metrics, same format.")
    Path abnormal;

    @Option(names = "--normal-edges", paramLabel = "EDGES.csv",
            description = "Optional normal-period per-call-edge statistics, long format "
                    + "timestamp,caller,callee,signal,value (calls, client_latency_p50/p99, server_latency_p50/p99, "
                    + "gap_p50/p99).")
    Path normalEdges;

    @Option(names = "--abnormal-edges", paramLabel = "EDGES.csv",
            description = "Abnormal-period per-call-edge statistics, same format (with --normal-edges).")
    Path abnormalEdges;

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
        if ((normalEdges == null) != (abnormalEdges == null)) {
            throw new UserError("--normal-edges and --abnormal-edges go together");
        }
        io.hawkeye.tools.Charts.checkOutput(plot, "--plot");
        ServiceGraph g = GraphFiles.load(graph);
        SignalCsv.Result n = SignalCsv.read(normal);
        SignalCsv.Result a = SignalCsv.read(abnormal);
        if (n.skipped() + a.skipped() > 0) {
            err.printf(Locale.ROOT, "rca: skipped %d malformed rows%n", n.skipped() + a.skipped());
        }
        if (symptom != null && !g.contains(symptom)) {
            err.println("rca: warning: symptom '" + symptom + "' is not in the graph");
        }
        EdgeData ne = EdgeData.none(), ae = EdgeData.none();
        if (normalEdges != null) {
            SignalCsv.EdgeResult x = SignalCsv.readEdges(normalEdges), y = SignalCsv.readEdges(abnormalEdges);
            if (x.skipped() + y.skipped() > 0) {
                err.printf(Locale.ROOT, "rca: skipped %d malformed edge rows%n", x.skipped() + y.skipped());
            }
            ne = x.data();
            ae = y.data();
        }
        List<RankedCause> ranking = new RootCauseRanker().rank(g, n.data(), a.data(), ne, ae, symptom);
        if (output != null) write(ranking, output);
        if (plot != null) {
            try {
                Path folder = abnormal.toAbsolutePath().getParent();
                RcaChart.save(g, ranking, "Root-cause ranking: " + (folder == null || folder.getFileName() == null
                        ? "" : folder.getFileName() + "/") + abnormal.getFileName(), plot);
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
