package io.hawkeye.tools.rca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hawkeye.rca.ServiceGraph;
import io.hawkeye.tools.UserError;
import io.hawkeye.tools.csv.CsvLine;
import io.hawkeye.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads a dependency graph from a file, in one of three formats:
 * <ul>
 *   <li>CSV edge list with header {@code caller,callee} (extra columns ignored; a row with an empty callee
 *       declares a service without edges);
 *   <li>a simulator topology YAML (docs/simulator.md): edges from each service's {@code directCallees};
 *   <li>a plain YAML {@code {services: [a, b], edges: [{caller: a, callee: b}]}}.
 * </ul>
 */
public final class GraphFiles {
    private static final YAMLMapper YAML = new YAMLMapper();

    private GraphFiles() {}

    /** @throws IllegalArgumentException on an unreadable or malformed file */
    public static ServiceGraph load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read graph " + file, e);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || (!name.endsWith(".yaml") && !name.endsWith(".yml")
                && text.strip().toLowerCase(Locale.ROOT).startsWith("caller"))) {
            return parseCsv(text);
        }
        return parseYaml(text, file);
    }

    static ServiceGraph parseCsv(String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty()) throw new UserError("empty graph CSV");
        List<String> header = CsvLine.split(lines.get(0));
        int caller = indexOf(header, "caller"), callee = indexOf(header, "callee");
        if (caller < 0 || callee < 0) {
            throw new UserError("graph CSV needs a header with columns caller,callee; got " + header);
        }
        ServiceGraph g = new ServiceGraph();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) continue;
            List<String> f = CsvLine.split(line);
            String u = f.size() > caller ? f.get(caller).strip() : "";
            String v = f.size() > callee ? f.get(callee).strip() : "";
            if (!u.isEmpty() && !v.isEmpty()) g.addEdge(u, v);
            else if (!u.isEmpty()) g.addService(u);
            else if (!v.isEmpty()) g.addService(v);
        }
        return g;
    }

    static ServiceGraph parseYaml(String text, Path file) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new UserError("graph " + file + " is neither a caller,callee CSV nor YAML: "
                    + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) throw new UserError("graph " + file + ": not a YAML map");
        JsonNode services = root.path("services");
        if (services.isObject()) {
            Topology t = Topology.parse(text);
            ServiceGraph g = new ServiceGraph();
            for (String s : t.services().keySet()) {
                g.addService(s);
                for (String c : t.directCallees(s)) g.addEdge(s, c);
            }
            return g;
        }
        ServiceGraph g = new ServiceGraph();
        for (JsonNode s : services) g.addService(s.asText());
        for (JsonNode e : root.path("edges")) {
            String u = e.path("caller").asText(""), v = e.path("callee").asText("");
            if (u.isEmpty() || v.isEmpty()) {
                throw new UserError("graph " + file + ": every edge needs caller and callee: " + e);
            }
            g.addEdge(u, v);
        }
        if (g.services().isEmpty()) throw new UserError("graph " + file + " has no services");
        return g;
    }

    static int indexOf(List<String> header, String name) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).strip().equalsIgnoreCase(name)) return i;
        }
        return -1;
    }
}
