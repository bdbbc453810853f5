package io.hawkeye.tools.cli;

import io.hawkeye.local.LocalStack;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --home}, the local stack's state directory, of {@code stack} and {@code demo} (a picocli mixin). */
final class StackHomeOption {
    @Option(names = "--home", description = "State directory of the local stack (default: $HAWKEYE_HOME, else "
            + "./.hawkeye).")
    Path home;

    /** The local stack of {@code --home}, else of the environment; the checkout is found from here either way. */
    LocalStack stack() {
        LocalStack env = LocalStack.fromEnvironment();
        return home == null ? env : new LocalStack(home, env.repoRoot());
    }
}
