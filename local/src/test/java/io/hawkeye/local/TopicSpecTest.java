package io.hawkeye.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicSpecTest {

    @Test
    void parsesNamePartitionsAndConfigs() {
        assertThat(TopicSpec.parse("telemetry 4")).isEqualTo(new TopicSpec("telemetry", 4, Map.of()));
        assertThat(TopicSpec.parse("  hawkeye.rules\t1  cleanup.policy=compact,min.compaction.lag.ms=0 "))
                .isEqualTo(new TopicSpec("hawkeye.rules", 1,
                        Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0")));
    }

    @Test
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> TopicSpec.parse("telemetry")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicSpec.parse("telemetry four")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicSpec.parse("telemetry 0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TopicSpec.parse("telemetry 1 compact")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsFileSkippingCommentsAndBlanks(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("topics.txt");
        Files.writeString(f, "# header\n\ntelemetry 4  # trailing comment\nhawkeye.topology 1 cleanup.policy=compact\n");
        assertThat(TopicSpec.readFile(f)).containsExactly(TopicSpec.of("telemetry", 4),
                new TopicSpec("hawkeye.topology", 1, Map.of("cleanup.policy", "compact")));
        assertThat(TopicSpec.readFile(dir.resolve("missing.txt"))).isEqualTo(List.of());
    }

    @Test
    void repositoryTopicsFileIsValid() throws Exception {
        Path repo = MavenResolver.findRepoRoot(Path.of("")).orElseThrow();
        assertThat(TopicSpec.readFile(repo.resolve("deploy/topics.txt"))).extracting(TopicSpec::name)
                .contains("telemetry", "hawkeye.alerts", "hawkeye.rules");
    }

    @Test
    void kafkaServerPropertiesAreSingleNode() {
        String props = KafkaBrokerProcess.serverProperties(Path.of("/tmp/x"), 19092, 19093);
        assertThat(props).contains("listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093",
                "offsets.topic.replication.factor=1", "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0", "transaction.max.timeout.ms=900000");
    }
}
