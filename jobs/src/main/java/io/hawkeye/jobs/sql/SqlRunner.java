package io.hawkeye.jobs.sql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.StatementSet;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.util.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Flink SQL script (the scripts in {@code sql/}) on a TableEnvironment: {@code SET 'key' = 'value'} lines
 * set table configuration, {@code EXECUTE STATEMENT SET BEGIN ... END} submits its INSERTs as one job, every other
 * statement (DDL, INSERT, SELECT) goes to {@link TableEnvironment#executeSql}. {@code ${VAR}} and
 * {@code ${VAR:-default}} are substituted first from the given definitions, then from the environment.
 *
 * <p>Before each script the runner runs the init script {@code sql/functions.sql} (in the jar as {@link #INIT}), as
 * {@code sql-client.sh -i sql/functions.sql} does: it registers the Hawkeye SQL functions, so the pipeline scripts
 * do not repeat it.
 *
 * <p>As a Flink main class: {@code flink run -c io.hawkeye.jobs.sql.SqlRunner hawkeye-jobs-flink-job.jar --file
 * script.sql [--define KEY=VALUE ...]}. The jar carries the SQL functions and the Kafka and
 * {@code hawkeye-elasticsearch} connectors.
 */
public final class SqlRunner {
    private static final Logger LOG = LoggerFactory.getLogger(SqlRunner.class);
    private static final Pattern SET = Pattern.compile(
            "(?is)^SET\\s+'([^']*)'\\s*=\\s*'((?:[^']|'')*)'$");

    /** The classpath resource of the init script, {@code sql/functions.sql} (copied there by the jobs build). */
    public static final String INIT = "/io/hawkeye/jobs/sql/functions.sql";

    private SqlRunner() {}

    public static void main(String[] args) throws Exception {
        ParameterTool params = ParameterTool.fromArgs(args);
        String file = params.getRequired("file");
        Map<String, String> defines = new HashMap<>();
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--define")) {
                String[] kv = args[i + 1].split("=", 2);
                defines.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(StreamExecutionEnvironment.getExecutionEnvironment());
        for (TableResult r : run(tEnv, Files.readString(Path.of(file)), variables(defines))) r.await();
    }

    /** The environment overlaid with {@code defines} (definitions win). */
    public static Map<String, String> variables(Map<String, String> defines) {
        Map<String, String> vars = new HashMap<>(System.getenv());
        vars.putAll(defines);
        return vars;
    }

    /**
     * Executes the init script, then the script; returns the results of the jobs the script submitted (INSERTs,
     * statement sets, SELECTs).
     */
    public static List<TableResult> run(TableEnvironment tEnv, String script, Map<String, String> vars) {
        execute(tEnv, initScript(), vars); // DDL only: submits no job
        return execute(tEnv, script, vars);
    }

    /** The init script {@link #INIT}. */
    public static String initScript() {
        try (InputStream in = SqlRunner.class.getResourceAsStream(INIT)) {
            if (in == null) throw new IllegalStateException(INIT + " is not on the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<TableResult> execute(TableEnvironment tEnv, String script, Map<String, String> vars) {
        List<TableResult> jobs = new ArrayList<>();
        for (String statement : SqlScript.split(SqlScript.substitute(script, vars))) {
            String norm = statement.replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
            Matcher set = SET.matcher(statement.trim());
            if (set.matches()) {
                tEnv.getConfig().getConfiguration().setString(set.group(1), set.group(2).replace("''", "'"));
                LOG.info("SET '{}'", set.group(1)); // values may be secrets: not logged
            } else if (norm.startsWith("EXECUTE STATEMENT SET") || norm.startsWith("BEGIN STATEMENT SET")) {
                StatementSet statements = tEnv.createStatementSet();
                String body = statement.replaceFirst("(?is)^\\s*(EXECUTE\\s+)?(BEGIN\\s+)?STATEMENT\\s+SET\\s+(BEGIN)?", "")
                        .replaceFirst("(?is)END\\s*$", "");
                for (String insert : SqlScript.split(body)) statements.addInsertSql(insert);
                jobs.add(statements.execute());
            } else {
                TableResult result = tEnv.executeSql(statement);
                if (result.getJobClient().isPresent()) jobs.add(result);
            }
        }
        return jobs;
    }
}
