package io.hawkeye.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.simulator.KafkaSink;
import io.hawkeye.simulator.PacedSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.command(new SimulateCommand(), args);
    }

    @Test
    void writesJsonLinesAndGroundTruthDeterministically() throws Exception {
        String[] common = {"--topology", "../deploy/topologies/two-tier.yaml", "--start", "2024-03-04T00:00:00Z",
            "--duration", "20s", "--seed", "5", "--progress-interval", "0"};
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        Path truth = dir.resolve("truth.jsonl");
        CliRun r = run(concat(common, "--output", a.toString(), "--ground-truth", truth.toString()));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).contains("done: simulated PT20S");
        assertThat(run(concat(common, "--output", b.toString())).exit()).isZero();
        assertThat(Files.readAllBytes(a)).isNotEmpty().isEqualTo(Files.readAllBytes(b));
        List<String> faults = Files.readAllLines(truth);
        assertThat(faults).hasSize(2);
        assertThat(faults.get(0)).startsWith("{\"fault\":\"latency\",\"service\":\"db\",\"root_cause\":\"db\","
                + "\"start\":\"2024-03-04T00:05:00Z\",\"end\":\"2024-03-04T00:10:00Z\"")
                .endsWith("\"affected\":[\"db\",\"api\",\"web\"]}");
    }

    /** --client-spans: every call's client span, each callee span its child, parsed by the job's own parser. */
    @Test
    void clientSpansPairWithTheCalleeSpans() throws Exception {
        Path out = dir.resolve("calls.jsonl");
        CliRun r = run("--topology", "../deploy/topologies/two-tier.yaml", "--start", "2024-03-04T00:00:00Z",
                "--duration", "5s", "--seed", "5", "--progress-interval", "0", "--client-spans",
                "--output", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        java.util.Map<String, io.hawkeye.telemetry.Span> clients = new java.util.HashMap<>();
        List<io.hawkeye.telemetry.Span> children = new java.util.ArrayList<>();
        io.hawkeye.telemetry.TelemetryParser parser = new io.hawkeye.telemetry.TelemetryParser(
                new io.hawkeye.telemetry.TelemetryParser.Config(1 << 20, 0));
        for (String line : Files.readAllLines(out)) {
            parser.parse(line.getBytes(java.nio.charset.StandardCharsets.UTF_8), "t", 0, 0, 0,
                    new io.hawkeye.telemetry.TelemetryParser.Handler() {
                        public void span(io.hawkeye.telemetry.Span s) {
                            if (s.isCall()) clients.put(s.spanId, s);
                            else if (s.caller != null) children.add(s);
                        }

                        public void metric(io.hawkeye.telemetry.MetricSample m) {}

                        public void deadLetter(io.hawkeye.telemetry.DeadLetter d) {
                            throw new AssertionError(d.detail);
                        }
                    });
        }
        assertThat(children).isNotEmpty();
        assertThat(children).allSatisfy(c -> {
            io.hawkeye.telemetry.Span client = clients.get(c.parentId);
            assertThat(client).as("the client span of " + c).isNotNull();
            assertThat(client.service).isEqualTo(c.caller);
            assertThat(client.callee).isEqualTo(c.service);
            assertThat(client.durationMs).isGreaterThanOrEqualTo(c.durationMs - 0.001);
        });
    }

    @Test
    void samplingOverrideAndSpeedPacing() throws Exception {
        Path out = dir.resolve("paced.jsonl");
        long t0 = System.nanoTime();
        CliRun r = run("--topology", "../deploy/topologies/two-tier.yaml", "--start", "2024-03-04T00:00:00Z",
                "--duration", "4s", "--speed", "8", "--max-spans-per-second", "20", "--output", out.toString(),
                "--progress-interval", "0.1");
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.exit()).as(r.err()).isZero();
        // 4 simulated seconds at 8x: the last records are ~3.x simulated seconds after the first
        assertThat(wallMillis).isGreaterThanOrEqualTo(350);
        long spans = Files.readAllLines(out).stream().filter(l -> l.contains("\"type\":\"span\"")).count();
        assertThat(spans).isBetween(40L, 130L);
    }

    @Test
    void rejectsBadInput() {
        assertThat(run("--duration", "1m").exit()).isEqualTo(2); // neither --output nor --bootstrap-servers
        assertThat(run("--speed", "fast", "--output", "x").exit()).isEqualTo(2);
        CliRun r = run("--topology", dir.resolve("missing.yaml").toString(), "--output",
                dir.resolve("o").toString(), "--start", "2024-03-04T00:00:00Z");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--topology " + dir.resolve("missing.yaml") + ": no such file");
    }

    @Test
    void kafkaDefaultsCanBeOverridden() {
        Properties p = KafkaSink.config("broker:9092", Map.of("security.protocol", "SASL_SSL", "linger.ms", "20"));
        assertThat(p).containsEntry("compression.type", "lz4").containsEntry("acks", "all")
                .containsEntry("linger.ms", "20").containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("bootstrap.servers", "broker:9092");
    }

    @Test
    void pacedSinkHonoursTheEventRate() {
        PacedSink sink = new PacedSink((k, j, ts) -> { }, 0, 200);
        long t0 = System.nanoTime();
        for (int i = 0; i < 61; i++) {
            sink.emit("s", "{}", 0);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0).toMillis()).isBetween(250L, 2000L);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = new String[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
