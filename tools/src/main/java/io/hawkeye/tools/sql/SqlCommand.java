package io.hawkeye.tools.sql;

import io.hawkeye.tools.UserError;
import io.hawkeye.jobs.sql.SqlRunner;
import io.hawkeye.jobs.sql.SqlScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hawkeye sql FILE}: runs a Flink SQL script on a local, in-process Flink (see {@link SqlRunner}). */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = "Run a Flink SQL script (e.g. sql/window-stats.sql) on a local Flink; ${VAR} from --define or env.")
public class SqlCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "SQL script")
    Path file;

    @Option(names = {"-D", "--define"}, description = "Variable KEY=VALUE (repeatable); wins over the environment.")
    Map<String, String> defines = new LinkedHashMap<>();

    @Option(names = "--print", description = "Print the script with variables substituted (for sql-client.sh -f) and exit.")
    boolean print;

    @Option(names = "--parallelism", defaultValue = "2", description = "Default parallelism (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Override
    public Integer call() throws Exception {
        String script = Files.readString(file);
        Map<String, String> vars = SqlRunner.variables(defines);
        try {
            SqlScript.split(SqlScript.substitute(script, vars)); // undefined variables, unterminated quotes
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": " + e.getMessage(), e);
        }
        if (print) {
            System.out.println(SqlScript.substitute(script, vars));
            return 0;
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(new Configuration());
        env.setParallelism(parallelism);
        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        for (TableResult r : SqlRunner.run(tEnv, script, vars)) {
            System.err.println("hawkeye sql: job " + r.getJobClient().map(c -> c.getJobID().toString()).orElse("?")
                    + " submitted; waiting for it to finish (Ctrl-C stops)");
            r.await();
        }
        return 0;
    }
}
