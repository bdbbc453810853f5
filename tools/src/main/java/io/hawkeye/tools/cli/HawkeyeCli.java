package io.hawkeye.tools.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./hawkeye} command line: one entry point, a subcommand per task, {@code --help} everywhere. */
@Command(name = "hawkeye", mixinStandardHelpOptions = true, version = "Hawkeye 0.1.0",
        description = "Real-time AIOps analytics on Apache Flink.",
        subcommands = {DemoCommand.class, io.hawkeye.tools.cli.StackCommand.class,
            io.hawkeye.tools.cli.SimulateCommand.class, RunCommand.class, OptionsCommand.class,
            io.hawkeye.tools.detect.BacktestCommand.class, io.hawkeye.tools.detect.EvaluateCommand.class,
            io.hawkeye.tools.detect.SimulateWindowsCommand.class,
            io.hawkeye.tools.scale.ForecastCommand.class, io.hawkeye.tools.scale.CapacityCommand.class,
            io.hawkeye.tools.rca.RcaCommand.class, io.hawkeye.tools.sql.SqlCommand.class,
            CommandLine.HelpCommand.class})
public class HawkeyeCli {
    public static void main(String[] args) {
        int code = new CommandLine(new HawkeyeCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
