package io.hawkeye.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
    @Test
    void splitsOnSemicolonsOutsideQuotesAndComments() {
        List<String> s = SqlScript.split("SET 'a' = 'x;y'; -- c;omment\nCREATE TABLE `t;1` (a STRING COMMENT 'it''s;')"
                + " /* ; */ WITH ();\nEXECUTE STATEMENT SET\nBEGIN\n INSERT INTO a SELECT ';';\n INSERT INTO b SELECT 1;\nEND;\n");
        assertThat(s).hasSize(3);
        assertThat(s.get(0)).isEqualTo("SET 'a' = 'x;y'");
        assertThat(s.get(1)).startsWith("CREATE TABLE `t;1` (a STRING COMMENT 'it''s;')").endsWith("WITH ()");
        assertThat(s.get(2)).startsWith("EXECUTE STATEMENT SET").contains("INSERT INTO a SELECT ';';")
                .contains("INSERT INTO b SELECT 1;").endsWith("END");
    }

    @Test
    void substitutesVariablesWithDefaultsAndNamesMissingOnes() {
        assertThat(SqlScript.substitute("'${A}' '${B:-d}' '${C:-}'", Map.of("A", "1"))).isEqualTo("'1' 'd' ''");
        assertThatThrownBy(() -> SqlScript.substitute("${X} ${Y}", Map.of()))
                .hasMessageContaining("[X, Y]").hasMessageContaining("--define");
    }

    @Test
    void theRunnersInitScriptIsSqlFunctionsSqlAndTheOtherScriptsLeaveItsStatementsToIt() throws Exception {
        Path sql = SqlPipelinesITCase.repo().resolve("sql");
        assertThat(SqlRunner.initScript()).isEqualTo(Files.readString(sql.resolve("functions.sql")));
        for (String script : List.of("window-stats.sql", "rollup.sql", "slo.sql")) {
            assertThat(SqlScript.split(Files.readString(sql.resolve(script)))).as(script)
                    .noneMatch(s -> s.startsWith("CREATE TEMPORARY SYSTEM FUNCTION"));
        }
    }
}
