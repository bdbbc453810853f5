package io.hawkeye.tools.rca;

import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RcaWeights;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.tools.ToolCommand;
import io.hawkeye.tools.UserError;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rca-eval}: accuracy of the root-cause ranking over a directory of labelled cases ({@link RcaCase}), or over
 * the simulator's cases ({@link SimulatedCases}). Per case the rank of the true root cause; per fault type, fault
 * class and overall AC@1, AC@3 and Avg@5 (the mean of AC@1…AC@5); with and without the symptom when the cases give
 * one; optionally the sensitivity of the result to each ranking weight (×0.5 and ×1.5). The same ranker as
 * {@code rca} and the streaming correlation. Last line machine-readable. docs/rca.md, "Evaluation".
 */
@Command(name = "rca-eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Measure root-cause ranking accuracy (AC@1, AC@3, Avg@5) over labelled cases.")
public final class RcaEvaluateCommand extends ToolCommand {

    @Option(names = "--cases", paramLabel = "DIR",
            description = "A folder of case folders (case.json, graph.csv, normal.csv, abnormal.csv, optional "
                    + "normal_edges.csv and abnormal_edges.csv), or one case folder.")
    Path cases;

    @Option(names = "--simulated", description = "Evaluate the simulator's 23 fault cases instead (written to a "
            + "temporary folder, or to --keep).")
    boolean simulated;

    @Option(names = "--topologies", paramLabel = "DIR", defaultValue = "deploy/topologies",
            description = "Where the simulated cases' topologies are (default: ${DEFAULT-VALUE}).")
    Path topologies;

    @Option(names = "--keep", paramLabel = "DIR", description = "Keep the simulated cases in this folder.")
    Path keep;

    @Option(names = "--no-edges", description = "Ignore the per-edge files (rank from per-service signals only).")
    boolean noEdges;

    @Option(names = "--sensitivity", description = "Also rank with each weight ×0.5 and ×1.5 and report the "
            + "accuracy of each variant.")
    boolean sensitivity;

    @Option(names = "--output", paramLabel = "REPORT.md", description = "Write the report (per case and per group) "
            + "as Markdown.")
    Path output;

    /** Accuracy of one group of ranks. */
    record Accuracy(int cases, double ac1, double ac3, double avg5) {
        static Accuracy of(List<Integer> ranks) {
            int n = ranks.size();
            if (n == 0) return new Accuracy(0, Double.NaN, Double.NaN, Double.NaN);
            double avg = 0;
            for (int k = 1; k <= 5; k++) avg += atK(ranks, k);
            return new Accuracy(n, atK(ranks, 1), atK(ranks, 3), avg / 5);
        }

        private static double atK(List<Integer> ranks, int k) {
            return (double) ranks.stream().filter(r -> r <= k).count() / ranks.size();
        }

        String row(String group) {
            return String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f |", group, cases, ac1, ac3, avg5);
        }
    }

    @Override
    protected int run(PrintWriter out, PrintWriter err) throws IOException {
        if ((cases == null) == !simulated) throw new UserError("give either --cases DIR or --simulated");
        List<RcaCase> all = simulated ? simulate(err) : load(cases);
        boolean anySymptom = all.stream().anyMatch(c -> c.symptom() != null);
        long withEdges = noEdges ? 0 : all.stream().filter(RcaCase::hasEdges).count();
        err.printf(Locale.ROOT, "rca-eval: %d cases, %d with edge files%s, %d with a symptom%n", all.size(),
                withEdges, noEdges ? " (ignored)" : "", all.stream().filter(c -> c.symptom() != null).count());

        StringBuilder report = new StringBuilder();
        RootCauseRanker ranker = new RootCauseRanker();
        List<Integer> ranks = new ArrayList<>();
        List<Integer> ranksWithSymptom = new ArrayList<>();
        report.append("| case | root cause | fault type | rank | top 3 |").append(anySymptom ? " rank with symptom |" : "")
                .append('\n').append("|---|---|---|---|---|").append(anySymptom ? "---|" : "").append('\n');
        int i = 0;
        for (RcaCase c : all) {
            List<RankedCause> r = c.rank(ranker, !noEdges, null);
            int rank = c.rankOfRootCause(r);
            ranks.add(rank);
            String top3 = String.join(", ", r.stream().limit(3).map(RankedCause::service).toList());
            report.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |", c.name(), c.rootCause(),
                    c.faultType(), rankText(rank), top3));
            String symptomText = "";
            if (anySymptom) {
                int withSymptom = c.symptom() == null ? rank : c.rankOfRootCause(c.rank(ranker, !noEdges, c.symptom()));
                ranksWithSymptom.add(withSymptom);
                report.append(' ').append(rankText(withSymptom)).append(" |");
                symptomText = ", with symptom " + rankText(withSymptom);
            }
            report.append('\n');
            err.printf(Locale.ROOT, "[%2d/%d] %-60s rank %s%s (top: %s)%n", ++i, all.size(), c.name(),
                    rankText(rank), symptomText, top3);
            err.flush();
        }

        StringBuilder summary = new StringBuilder();
        summary.append(anySymptom ? "\nWithout the symptom:\n\n" : "\n");
        table(summary, all, ranks);
        if (anySymptom) {
            summary.append("\nWith the symptom (cases without one: as without):\n\n");
            table(summary, all, ranksWithSymptom);
        }
        if (sensitivity) summary.append('\n').append(sensitivity(all));
        out.print(summary);
        Accuracy overall = Accuracy.of(ranks);
        String last = String.format(Locale.ROOT, "overall cases=%d ac1=%.3f ac3=%.3f avg5=%.3f", overall.cases(),
                overall.ac1(), overall.ac3(), overall.avg5());
        out.println();
        out.println(last);
        out.flush();
        if (output != null) {
            Files.writeString(output, report + summary.toString() + "\n`" + last + "`\n");
            err.println("rca-eval: report written to " + output);
        }
        return 0;
    }

    private static String rankText(int rank) {
        return rank == Integer.MAX_VALUE ? "—" : Integer.toString(rank);
    }

    /** Rows per fault type, per fault class (when the cases give one), and overall. */
    private static void table(StringBuilder sb, List<RcaCase> all, List<Integer> ranks) {
        sb.append("| group | cases | AC@1 | AC@3 | Avg@5 |\n|---|---|---|---|---|\n");
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < all.size(); i++) {
            groups.computeIfAbsent("fault type " + all.get(i).faultType(), k -> new ArrayList<>()).add(ranks.get(i));
        }
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).faultClass() != null) {
                groups.computeIfAbsent("fault class " + all.get(i).faultClass(), k -> new ArrayList<>())
                        .add(ranks.get(i));
            }
        }
        groups.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(g -> sb.append(Accuracy.of(g.getValue()).row(g.getKey())).append('\n'));
        sb.append(Accuracy.of(ranks).row("**all**")).append('\n');
    }

    /** Each weight ×0.5 and ×1.5 (the others unchanged), with the cases' symptoms; per fault class and overall. */
    private String sensitivity(List<RcaCase> all) {
        List<String> classes = all.stream().map(RcaCase::faultClass).filter(java.util.Objects::nonNull).distinct()
                .sorted().toList();
        StringBuilder sb = new StringBuilder("Sensitivity (with the symptom where a case gives one; one weight changed at a "
                + "time; AC@1 / AC@3):\n\n| weights |");
        for (String c : classes) sb.append(' ').append(c).append(" |");
        sb.append(" all | Avg@5 all |\n|---|").append("---|".repeat(classes.size() + 2)).append('\n');
        RcaWeights w = RcaWeights.defaults();
        sb.append(sensitivityRow("defaults", w, all, classes));
        for (String name : RcaWeights.NAMES) {
            for (double f : new double[] {0.5, 1.5}) {
                sb.append(sensitivityRow(String.format(Locale.ROOT, "%s ×%.1f", name, f), w.scaled(name, f), all,
                        classes));
            }
        }
        return sb.toString();
    }

    private String sensitivityRow(String label, RcaWeights w, List<RcaCase> all, List<String> classes) {
        RootCauseRanker r = new RootCauseRanker(w);
        List<Integer> ranks = new ArrayList<>();
        for (RcaCase c : all) ranks.add(c.rankOfRootCause(c.rank(r, !noEdges, c.symptom())));
        StringBuilder sb = new StringBuilder("| ").append(label).append(" |");
        for (String cls : classes) {
            List<Integer> sub = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (cls.equals(all.get(i).faultClass())) sub.add(ranks.get(i));
            }
            Accuracy a = Accuracy.of(sub);
            sb.append(String.format(Locale.ROOT, " %.3f / %.3f |", a.ac1(), a.ac3()));
        }
        Accuracy a = Accuracy.of(ranks);
        return sb.append(String.format(Locale.ROOT, " %.3f / %.3f | %.3f |%n", a.ac1(), a.ac3(), a.avg5()))
                .toString();
    }

    private static List<RcaCase> load(Path dir) {
        if (!Files.isDirectory(dir)) throw new UserError("--cases " + dir + " is not a directory");
        if (RcaCase.isCase(dir)) return List.of(RcaCase.load(dir));
        try (Stream<Path> s = Files.list(dir)) {
            List<RcaCase> out = s.filter(Files::isDirectory).filter(RcaCase::isCase).sorted().map(RcaCase::load)
                    .toList();
            if (out.isEmpty()) throw new UserError("--cases " + dir + " holds no case folder (with case.json)");
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private List<RcaCase> simulate(PrintWriter err) throws IOException {
        if (!Files.isDirectory(topologies)) {
            throw new UserError("--topologies " + topologies + " is not a directory (run from the repository root)");
        }
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("hawkeye-rca-sim");
        List<RcaCase> out = new ArrayList<>();
        List<SimulatedCases.Case> cs = SimulatedCases.standard();
        for (SimulatedCases.Case c : cs) {
            err.printf(Locale.ROOT, "simulating [%2d/%d] %s%n", out.size() + 1, cs.size(), c.name());
            err.flush();
            out.add(RcaCase.load(SimulatedCases.write(c, topologies, dir)));
        }
        return out;
    }
}
