package io.hawkeye.tools.cli;

import io.hawkeye.jobs.HawkeyeOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code hawkeye options}: prints every job option as the README's Markdown table. */
@Command(name = "options", mixinStandardHelpOptions = true,
        description = "Prints every job option (name, type, default, description) as a Markdown table.")
public class OptionsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(HawkeyeOptions.markdownTable());
        return 0;
    }
}
