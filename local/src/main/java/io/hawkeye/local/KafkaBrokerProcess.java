package io.hawkeye.local;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;

/**
 * A single-node Kafka 4.2 cluster (KRaft, combined broker + controller) running as its own JVM, so it
 * outlives the CLI that started it. Started from the jars of {@code deploy/local/pom.xml}:
 * {@code kafka.tools.StorageTool format --standalone}, then {@code kafka.Kafka server.properties}.
 *
 * <p>Layout under {@code dir}: {@code server.properties}, {@code log4j2.properties}, {@code data/} (the
 * log dir; formatted once), {@code logs/server.log} (broker log), {@code logs/stdout.log}.
 */
public record KafkaBrokerProcess(Path dir, int port, int controllerPort, long pid) {

    /** Appears in the broker's command line; used to recognise our broker behind a recorded pid. */
    static final String MAIN_CLASS = "kafka.Kafka";

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Whether {@code dir} holds broker data formatted for exactly these ports (so {@link #start} would keep it). */
    public static boolean hasData(Path dir, int port, int controllerPort) throws IOException {
        Path marker = dir.resolve("formatted-for");
        return port > 0 && controllerPort > 0 && Files.isDirectory(dir.resolve("data"))
                && Files.isRegularFile(marker) && Files.readString(marker).trim().equals(port + "/" + controllerPort);
    }

    /**
     * Starts a broker in {@code dir} listening on {@code 127.0.0.1:port} (controller on {@code controllerPort})
     * and waits until it answers {@code describeCluster}. An existing log dir is reused when it was formatted
     * for the same ports; otherwise it is wiped and formatted again, because the KRaft voter set recorded at
     * format time pins the controller endpoint.
     */
    public static KafkaBrokerProcess start(String classpath, Path dir, int port, int controllerPort, Duration timeout)
            throws IOException {
        dir = dir.toAbsolutePath().normalize();
        Path data = dir.resolve("data");
        Path logs = dir.resolve("logs");
        Files.createDirectories(logs);
        Path props = dir.resolve("server.properties");
        Files.writeString(props, serverProperties(data, port, controllerPort), StandardCharsets.UTF_8);
        Path log4j = dir.resolve("log4j2.properties");
        Files.writeString(log4j, log4jProperties(), StandardCharsets.UTF_8);

        Path formatMarker = dir.resolve("formatted-for");
        String formatKey = port + "/" + controllerPort;
        if (!hasData(dir, port, controllerPort)) {
            MavenResolver.deleteRecursively(data);
            format(classpath, dir, props, log4j, logs);
            Files.writeString(formatMarker, formatKey);
        }

        List<String> cmd = new ArrayList<>(javaCommand(classpath, log4j, logs));
        // Heap sized for a laptop-scale broker; Kafka's own scripts default to 1 GB.
        cmd.addAll(1, List.of("-Xms256m", "-Xmx512m"));
        cmd.add(MAIN_CLASS);
        cmd.add(props.toString());
        Path stdout = logs.resolve("stdout.log");
        ProcessBuilder pb = new ProcessBuilder(Processes.detached(cmd))
                .directory(dir.toFile())
                // Files, not pipes: the broker must keep running (and not hit SIGPIPE) after the CLI exits.
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectErrorStream(true);
        Process process = pb.start();
        KafkaBrokerProcess broker = new KafkaBrokerProcess(dir, port, controllerPort, process.pid());
        try {
            awaitReady(broker.bootstrapServers(), process.toHandle(), timeout);
        } catch (IOException | RuntimeException e) {
            Processes.stopTree(process.toHandle(), Duration.ofSeconds(5));
            throw new IOException(e.getMessage() + "\n--- " + logs.resolve("server.log") + " ---\n"
                    + Processes.tail(logs.resolve("server.log"), 40) + "\n--- stdout ---\n" + Processes.tail(stdout, 20), e);
        }
        return broker;
    }

    /** Stops this broker (process tree), waiting for a clean shutdown first. */
    public boolean stop() {
        return stop(pid);
    }

    /** Stops the broker with this pid if it is ours and alive; true if it is gone afterwards. */
    public static boolean stop(long pid) {
        return Processes.alive(pid)
                .filter(h -> Processes.commandLine(h).contains(MAIN_CLASS))
                .map(h -> Processes.stopTree(h, Duration.ofSeconds(30)))
                .orElse(true);
    }

    public static boolean isAlive(long pid) {
        return Processes.aliveWithMarker(pid, MAIN_CLASS);
    }

    /** True if a broker answers at {@code bootstrap} within {@code timeout}. */
    public static boolean isReady(String bootstrap, Duration timeout) {
        try (Admin admin = Admin.create(adminProps(bootstrap, timeout))) {
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).isEmpty();
        } catch (Exception e) {
            return false;
        }
    }

    static Properties adminProps(String bootstrap, Duration timeout) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis()));
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Math.max(1000, timeout.toMillis()));
        // Keep retries quiet and quick while the broker is still binding its port.
        p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return p;
    }

    private static void awaitReady(String bootstrap, ProcessHandle process, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Kafka broker exited during startup");
            }
            if (isReady(bootstrap, Duration.ofSeconds(2))) {
                return;
            }
            Processes.sleep(250);
        }
        throw new IOException("Kafka broker at " + bootstrap + " not ready within " + timeout);
    }

    private static void format(String classpath, Path dir, Path props, Path log4j, Path logs) throws IOException {
        List<String> cmd = new ArrayList<>(javaCommand(classpath, log4j, logs));
        // --standalone: this node is the sole KRaft voter (dynamic quorum, Kafka 4 default).
        cmd.addAll(List.of("kafka.tools.StorageTool", "format", "--standalone",
                "--cluster-id", Uuid.randomUuid().toString(), "--config", props.toString()));
        Path out = logs.resolve("format.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        try {
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("kafka StorageTool format failed:\n" + Processes.tail(out, 30));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while formatting Kafka storage", e);
        }
    }

    private static List<String> javaCommand(String classpath, Path log4j, Path logs) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java,
                "-cp", classpath,
                "-Dlog4j2.configurationFile=" + log4j.toUri(),
                "-Dkafka.logs.dir=" + logs,
                "-Djava.awt.headless=true");
    }

    static String serverProperties(Path data, int port, int controllerPort) {
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", data.toString());
        p.put("num.partitions", "1");
        // One node: internal topics cannot have more replicas than brokers.
        p.put("offsets.topic.replication.factor", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        // Consumers in demos and tests should get partitions immediately, not after the 3 s default delay.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Flink's EXACTLY_ONCE KafkaSink sets transaction.timeout.ms; it must not exceed this (15 min).
        p.put("transaction.max.timeout.ms", "900000");
        StringBuilder sb = new StringBuilder("# Generated by Hawkeye LocalStack; rewritten on every start.\n");
        p.forEach((k, v) -> sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return sb.toString();
    }

    private static String log4jProperties() {
        return """
                # Generated by Hawkeye LocalStack: the broker logs to a rolling file, not to the terminal.
                status = warn
                appender.file.type = RollingFile
                appender.file.name = file
                appender.file.fileName = ${sys:kafka.logs.dir}/server.log
                appender.file.filePattern = ${sys:kafka.logs.dir}/server.log.%i
                appender.file.layout.type = PatternLayout
                appender.file.layout.pattern = [%d] %p %m (%c)%n
                appender.file.policies.type = Policies
                appender.file.policies.size.type = SizeBasedTriggeringPolicy
                appender.file.policies.size.size = 50MB
                appender.file.strategy.type = DefaultRolloverStrategy
                appender.file.strategy.max = 3
                rootLogger.level = info
                rootLogger.appenderRef.file.ref = file
                """;
    }
}
