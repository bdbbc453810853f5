package io.hawkeye.local;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * What {@code .hawkeye/stack.json} records about the daemons of the local stack. Pids are 0 when a service is
 * not running; ports are kept after {@code down} so the next {@code up} reuses them (stable addresses for
 * tools configured against the previous run, and Kafka's log dir stays valid).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StackState(
        long kafkaPid,
        int kafkaPort,
        int kafkaControllerPort,
        long elasticsearchPid,
        int elasticsearchHttpPort,
        int elasticsearchTransportPort,
        String startedAt) {

    static final StackState EMPTY = new StackState(0, 0, 0, 0, 0, 0, null);

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String kafkaBootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    public String elasticsearchUrl() {
        return "http://127.0.0.1:" + elasticsearchHttpPort;
    }

    StackState withKafka(long pid, int port, int controllerPort) {
        return new StackState(pid, port, controllerPort, elasticsearchPid, elasticsearchHttpPort,
                elasticsearchTransportPort, startedAt);
    }

    StackState withElasticsearch(long pid, int httpPort, int transportPort) {
        return new StackState(kafkaPid, kafkaPort, kafkaControllerPort, pid, httpPort, transportPort, startedAt);
    }

    StackState withStartedAt(String startedAt) {
        return new StackState(kafkaPid, kafkaPort, kafkaControllerPort, elasticsearchPid, elasticsearchHttpPort,
                elasticsearchTransportPort, startedAt);
    }

    public static Optional<StackState> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(JSON.readValue(file.toFile(), StackState.class));
    }

    /** Writes via a temp file and an atomic rename, so a concurrent {@code status} never reads half a file. */
    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
