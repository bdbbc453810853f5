package io.hawkeye.tools.rca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.tools.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One labelled root-cause case in the layout of docs/rca.md ("Evaluation"): a folder with {@code case.json}
 * ({@code root_cause}, optional {@code symptom}, {@code fault_type}, {@code fault_class}), the graph
 * ({@code graph.csv}, {@code graph.yaml} or {@code graph.yml}), {@code normal.csv} and {@code abnormal.csv}, and
 * optionally {@code normal_edges.csv} and {@code abnormal_edges.csv}.
 */
public record RcaCase(Path dir, String name, String rootCause, String symptom, String faultType, String faultClass) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether {@code dir} looks like a case folder. */
    public static boolean isCase(Path dir) {
        return Files.isRegularFile(dir.resolve("case.json"));
    }

    public static RcaCase load(Path dir) {
        JsonNode j;
        try {
            j = JSON.readTree(dir.resolve("case.json").toFile());
        } catch (IOException e) {
            throw new UserError(dir.resolve("case.json") + " is not JSON: " + e.getMessage(), e);
        }
        String root = text(j, "root_cause");
        if (root == null) throw new UserError(dir.resolve("case.json") + " has no root_cause");
        String type = text(j, "fault_type");
        return new RcaCase(dir, dir.getFileName().toString(), root, text(j, "symptom"),
                type == null ? "unknown" : type, text(j, "fault_class"));
    }

    private static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    public boolean hasEdges() {
        return Files.isRegularFile(dir.resolve("normal_edges.csv"))
                && Files.isRegularFile(dir.resolve("abnormal_edges.csv"));
    }

    Path graphFile() {
        for (String f : List.of("graph.csv", "graph.yaml", "graph.yml")) {
            if (Files.isRegularFile(dir.resolve(f))) return dir.resolve(f);
        }
        throw new UserError(dir + " has no graph.csv or graph.yaml");
    }

    /** Ranks the case's services; {@code symptom} null = without one; {@code edges} = read the edge files. */
    public List<RankedCause> rank(RootCauseRanker ranker, boolean edges, String symptom) {
        boolean withEdges = edges && hasEdges();
        return new RcaInputs(graphFile(), dir.resolve("normal.csv"), dir.resolve("abnormal.csv"),
                withEdges ? dir.resolve("normal_edges.csv") : null, withEdges ? dir.resolve("abnormal_edges.csv") : null)
                .load().rank(ranker, symptom);
    }

    /** 1-based rank of the root cause, or {@code Integer.MAX_VALUE} when it is not ranked at all. */
    public int rankOfRootCause(List<RankedCause> ranking) {
        return ranking.stream().filter(c -> c.service().equals(rootCause)).mapToInt(RankedCause::rank).findFirst()
                .orElse(Integer.MAX_VALUE);
    }
}
