package io.hawkeye.jobs.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawkeye.jobs.HawkeyeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RuleSetTest {
    @Test
    void shippedDefaultsParseAndEqualTheDeployFile() throws Exception {
        Path deploy = Path.of("..", "deploy", "rules", "default-rules.yaml");
        try (var in = RuleSet.class.getResourceAsStream(RuleSet.DEFAULTS_RESOURCE)) {
            assertThat(new String(in.readAllBytes())).isEqualTo(Files.readString(deploy));
        }
        List<RuleDefinition> rules = RuleSet.defaults();
        assertThat(rules).extracting(r -> r.name + "|" + r.forMs + "|" + r.severity + "|" + r.scope)
                .containsExactly("HighErrorRate|120000|critical|endpoint", "HighLatencyP95|300000|warning|endpoint");
        assertThat(RuleSet.load(deploy)).isEqualTo(rules);
    }

    @Test
    void parsesAllKeysBareListsAndPrometheusStyleAlertNames() {
        List<RuleDefinition> rules = RuleSet.parse("""
                - name: SlowCheckout
                  expr: "p99_ms > 800"
                  for: 1h30m
                  severity: info
                  scope: service
                  service: "check.*"
                  labels: {team: payments, page: false}
                - alert: Errors
                  expr: errors > 0
                """, "test");
        RuleDefinition a = rules.get(0);
        assertThat(a.forMs).isEqualTo(5_400_000);
        assertThat(a.scope).isEqualTo("service");
        assertThat(a.service).isEqualTo("check.*");
        assertThat(a.labels).containsEntry("team", "payments").containsEntry("page", "false");
        RuleDefinition b = rules.get(1);
        assertThat(b.name).isEqualTo("Errors");
        assertThat(b.forMs).isZero();
        assertThat(b.severity).isEqualTo("warning");
        assertThat(b.scope).isEqualTo("endpoint");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "'- {name: A, expr: \"eror_rate > 1\"}'|rule 'A': expr: unknown field 'eror_rate' at position 1",
        "'- {name: B, expr: \"p95_ms > 2000\", for: 5 minutes}'|rule 'B': for: invalid duration '5 minutes'",
        "'- {name: C, expr: \"p95_ms > 2000\", fro: 5m}'|rule 'C': unknown key 'fro'",
        "'- {name: D, expr: \"p95_ms > 2000\", severity: page}'|rule 'D': severity must be critical, warning or info",
        "'- {name: E, expr: \"p95_ms > 2000\", scope: pod}'|rule 'E': scope must be 'endpoint' or 'service'",
        "'- {name: F, expr: \"p95_ms > 2000\", service: \"(\"}'|rule 'F': service: not a regular expression",
        "'- {name: G}'|rule 'G': 'expr' is missing",
        "'- {expr: \"count > 1\"}'|rules.yaml: rule #1: 'name' is missing",
        "'- {name: H, expr: \"count > 1\"}\n- {name: H, expr: \"count > 2\"}'|rule 'H' is defined twice",
        "'- {name: \"bad name\", expr: \"count > 1\"}'|rule 'bad name': name must start with a letter",
        "'- {name: I, expr: \"count\"}'|rule 'I': expr: expression is a number, not a condition",
        "'name: x'|rules.yaml: expected a list of rules",
        "'- [unclosed'|rules.yaml: not valid YAML",
    })
    void badRulesFailWithTheRuleAndTheProblem(String yaml, String message) {
        assertThatThrownBy(() -> RuleSet.parse(yaml, "rules.yaml")).isInstanceOf(RuleException.class)
                .hasMessageContaining(message);
    }

    @Test
    void badRulesFileFailsDetectionConfigAtStartup(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, "rules:\n  - name: HighErrorRate\n    expr: error_rate >> 0.05\n");
        Configuration conf = new Configuration();
        conf.set(HawkeyeOptions.DETECT_RULES_FILE, file.toString());
        assertThatThrownBy(() -> DetectionConfig.from(conf)).isInstanceOf(RuleException.class)
                .hasMessageContaining("rule 'HighErrorRate': expr: unexpected '>' at position 13");
    }

    @Test
    void configFromOptions() {
        Configuration conf = new Configuration();
        conf.set(HawkeyeOptions.DETECT_FOR_WINDOWS, 3);
        DetectionConfig c = DetectionConfig.from(conf);
        assertThat(c.forWindows()).isEqualTo(3);
        assertThat(c.rules()).isEqualTo(RuleSet.defaults());
        assertThat(c.seriesIdleTimeoutMs()).isEqualTo(7 * 86_400_000L);
    }

    @Test
    void singleRuleFromTopicTakesItsNameFromTheKey() {
        RuleDefinition d = RuleSet.parseOne("Slow", "{\"expr\": \"p99_ms > 100\", \"for\": \"2m\"}");
        assertThat(d.name).isEqualTo("Slow");
        assertThat(d.forMs).isEqualTo(120_000);
        assertThatThrownBy(() -> RuleSet.parseOne("Slow", "{name: Other, expr: \"p99_ms > 1\"}"))
                .hasMessageContaining("names a different rule 'Other'");
    }

    @Test
    void durations() {
        assertThat(RuleSet.durationMs("0")).isZero();
        assertThat(RuleSet.durationMs("500ms")).isEqualTo(500);
        assertThat(RuleSet.durationMs("2m")).isEqualTo(120_000);
        assertThat(RuleSet.durationMs("1d2h")).isEqualTo(93_600_000);
        assertThatThrownBy(() -> RuleSet.durationMs("2")).hasMessageContaining("needs a unit");
    }
}
