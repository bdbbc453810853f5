package io.hawkeye.tools.cli;

import picocli.CommandLine.Option;

/** {@code --web-ui-port}, where the MiniCluster of {@code run} and {@code demo} serves Flink's web UI (a picocli mixin). */
final class WebUiPortOption {
    @Option(names = "--web-ui-port", defaultValue = "8081-8090",
            description = "Port (or range) of the Flink web UI (default: ${DEFAULT-VALUE}).")
    String webUiPort;

    /** Where the web UI is, for the user: the first port, or the next free one of the range. */
    String url() {
        String first = webUiPort.split("-")[0];
        String range = first.equals(webUiPort) ? "" : " (or the next free port in " + webUiPort + ")";
        return "http://127.0.0.1:" + first + range;
    }
}
