package io.hawkeye.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.topology.Topology;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroundTruthTest {

    @Test
    void groundTruthListsTransitiveCallers() throws Exception {
        Topology shop = Topology.load(Path.of("..", "deploy", "topologies", "online-shop.yaml"));
        List<String> lines = GroundTruth.lines(shop, Instant.parse("2024-03-04T00:00:00Z"));
        assertThat(lines).hasSize(shop.faults().size());
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.get("fault").asText()).isEqualTo("latency");
        assertThat(first.get("root_cause").asText()).isEqualTo("postgres");
        assertThat(first.get("start").asText()).isEqualTo("2024-03-04T03:00:00Z");
        assertThat(first.get("end").asText()).isEqualTo("2024-03-04T03:30:00Z");
        assertThat(first.get("params").get("multiplier").asDouble()).isEqualTo(1.8);
        List<String> affected = new ObjectMapper().convertValue(first.get("affected"), List.class);
        assertThat(affected.get(0)).isEqualTo("postgres");
        assertThat(affected).contains("catalog", "api-gateway", "frontend").doesNotContain("redis");
    }
}
