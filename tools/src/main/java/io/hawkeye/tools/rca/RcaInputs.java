package io.hawkeye.tools.rca;

import io.hawkeye.rca.EdgeData;
import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.rca.ServiceGraph;
import io.hawkeye.rca.SignalData;
import io.hawkeye.tools.UserError;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The inputs of one root-cause ranking (docs/rca.md): the call graph ({@link GraphFiles}), the normal- and
 * abnormal-period metrics ({@link SignalCsv}) and, optionally, both periods' per-edge statistics. {@code rca} takes
 * them as options (a picocli mixin); a labelled case ({@link RcaCase}) as the files of its folder.
 */
public final class RcaInputs {
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

    /** For picocli. */
    RcaInputs() {}

    /** The files of a ranking; both edge files or neither (null). */
    RcaInputs(Path graph, Path normal, Path abnormal, Path normalEdges, Path abnormalEdges) {
        this.graph = graph;
        this.normal = normal;
        this.abnormal = abnormal;
        this.normalEdges = normalEdges;
        this.abnormalEdges = abnormalEdges;
    }

    /** What the files hold, and how many of their rows were skipped as malformed (metrics, edges). */
    record Loaded(ServiceGraph graph, SignalData normal, SignalData abnormal, EdgeData normalEdges,
            EdgeData abnormalEdges, long skippedRows, long skippedEdgeRows) {
        /** The services ranked, best first; {@code symptom} null = none. */
        List<RankedCause> rank(RootCauseRanker ranker, String symptom) {
            return ranker.rank(graph, normal, abnormal, normalEdges, abnormalEdges, symptom);
        }
    }

    /** Reads the files; a bad or missing one is a {@link UserError}. */
    Loaded load() {
        if ((normalEdges == null) != (abnormalEdges == null)) {
            throw new UserError("--normal-edges and --abnormal-edges go together");
        }
        ServiceGraph g = GraphFiles.load(graph);
        SignalCsv.Result n = SignalCsv.read(normal);
        SignalCsv.Result a = SignalCsv.read(abnormal);
        EdgeData ne = EdgeData.none(), ae = EdgeData.none();
        long skippedEdges = 0;
        if (normalEdges != null) {
            SignalCsv.EdgeResult x = SignalCsv.readEdges(normalEdges), y = SignalCsv.readEdges(abnormalEdges);
            skippedEdges = x.skipped() + y.skipped();
            ne = x.data();
            ae = y.data();
        }
        return new Loaded(g, n.data(), a.data(), ne, ae, n.skipped() + a.skipped(), skippedEdges);
    }
}
