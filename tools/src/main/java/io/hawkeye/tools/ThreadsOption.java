package io.hawkeye.tools;

import picocli.CommandLine.Option;

/** {@code --threads}, files processed in parallel by {@code backtest} and {@code evaluate} (a picocli mixin). */
public final class ThreadsOption {
    @Option(names = "--threads", defaultValue = "0",
            description = "Files processed in parallel; 0 = one per core (default).")
    public int threads;

    /** Threads for {@code files} files: the option, or one per core, never more than the files, at least one. */
    public int forFiles(int files) {
        int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(n, files));
    }
}
