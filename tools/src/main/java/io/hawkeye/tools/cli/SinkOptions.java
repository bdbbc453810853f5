package io.hawkeye.tools.cli;

import io.hawkeye.simulator.ForwardingSink;
import io.hawkeye.simulator.JsonLinesSink;
import io.hawkeye.simulator.KafkaSink;
import io.hawkeye.simulator.TelemetrySink;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * Where {@code simulate} writes its records (a picocli mixin): a Kafka topic ({@code --bootstrap-servers},
 * {@code --topic}, {@code --kafka-property}), or instead JSON lines to a file or stdout ({@code --output}).
 */
final class SinkOptions {
    @Option(names = "--bootstrap-servers", paramLabel = "HOSTS", description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--topic", description = "Kafka topic (default: ${DEFAULT-VALUE}).", defaultValue = "telemetry")
    String topic;

    @Option(names = "--kafka-property", paramLabel = "KEY=VALUE",
            description = "Extra Kafka producer property, repeatable (e.g. security.protocol=SASL_SSL). "
                    + "Values are never printed.")
    Map<String, String> kafkaProperties = new LinkedHashMap<>();

    @Option(names = "--output", paramLabel = "FILE",
            description = "Write JSON lines to FILE ('-' = stdout) instead of Kafka.")
    Path output;

    /** Checks that the records have somewhere to go: a user error of {@code cl} otherwise. */
    void check(CommandLine cl) {
        if (output == null && bootstrapServers == null) {
            throw new ParameterException(cl, "one of --output or --bootstrap-servers is required");
        }
    }

    /** Where the records go, for the user (no Kafka property: they may hold secrets). */
    String target() {
        return output != null ? (isStdout() ? "stdout" : output.toString())
                : "Kafka " + bootstrapServers + " topic " + topic;
    }

    TelemetrySink open() {
        if (output == null) {
            return new KafkaSink(bootstrapServers, topic, kafkaProperties);
        }
        if (!isStdout()) {
            return JsonLinesSink.create(output);
        }
        return new ForwardingSink(new JsonLinesSink(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))) {
            @Override
            public void emit(String key, String json, long tsMillis) {
                delegate.emit(key, json, tsMillis);
            }

            @Override
            public void close() {
                delegate.flush(); // never close stdout
            }
        };
    }

    private boolean isStdout() {
        return output != null && output.toString().equals("-");
    }
}
