package io.hawkeye.jobs.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./hawkeye} command line: one entry point, a subcommand per task, {@code --help} everywhere. */
@Command(name = "hawkeye", mixinStandardHelpOptions = true, version = "Hawkeye 0.1.0",
        description = "Real-time AIOps analytics on Apache Flink.",
        subcommands = {DemoCommand.class, io.hawkeye.jobs.local.StackCommand.class,
            io.hawkeye.jobs.simulator.SimulateCommand.class, RunCommand.class, OptionsCommand.class,
            io.hawkeye.jobs.detect.BacktestCommand.class, io.hawkeye.jobs.detect.SimulateWindowsCommand.class,
            io.hawkeye.jobs.scale.ForecastCommand.class, io.hawkeye.jobs.scale.CapacityCommand.class,
            io.hawkeye.jobs.rca.RcaCommand.class, io.hawkeye.jobs.sql.SqlCommand.class,
            CommandLine.HelpCommand.class})
public class HawkeyeCli {
    public static void main(String[] args) {
        int code = new CommandLine(new HawkeyeCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
