package io.hawkeye.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.topology.Topology;
import io.hawkeye.topology.Topology.Fault;
import io.hawkeye.topology.Topology.FaultType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The scheduled faults as labelled incidents, to score detection and root-cause analysis against:
 * one JSON object per line,
 * {@code {"fault":"latency","service":"postgres","root_cause":"postgres","start":"…Z","end":"…Z",
 * "params":{…},"affected":[…]}}.
 *
 * <p>{@code affected} is where the fault is expected to be visible: the faulty service and its transitive
 * callers (nearest first) — a slow or failing service slows or fails everything upstream of it. For
 * traffic_drop the effect flows the other way, so it is the entry service and its transitive callees.
 */
public final class GroundTruth {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GroundTruth() {}

    public static List<String> lines(Topology topology, Instant start) {
        List<String> out = new ArrayList<>();
        for (Fault f : topology.faults()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("fault", f.type().yamlName());
            m.put("service", f.service());
            m.put("root_cause", f.service());
            m.put("start", DateTimeFormatter.ISO_INSTANT.format(start.plus(f.start())));
            m.put("end", DateTimeFormatter.ISO_INSTANT.format(start.plus(f.end())));
            m.put("params", f.params());
            m.put("affected", f.type() == FaultType.TRAFFIC_DROP
                    ? topology.withTransitiveCallees(f.service())
                    : topology.withTransitiveCallers(f.service()));
            try {
                out.add(JSON.writeValueAsString(m));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    public static void write(Topology topology, Instant start, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, lines(topology, start), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ground truth " + file, e);
        }
    }
}
