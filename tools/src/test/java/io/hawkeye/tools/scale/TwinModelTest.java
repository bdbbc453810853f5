package io.hawkeye.tools.scale;

import io.hawkeye.tools.cli.HawkeyeCli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hawkeye.capacity.TwinModel;
import io.hawkeye.simulator.Simulation;
import io.hawkeye.simulator.TelemetrySink;
import io.hawkeye.topology.Topology;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TwinModelTest {

    /**
     * Steady traffic (no seasonality, noise or faults) so that a simulation has one stationary regime: the test
     * resource {@code topologies/steady-three-tier.yaml}.
     */
    static final String YAML = resource("/topologies/steady-three-tier.yaml");

    static String resource(String name) {
        try (java.io.InputStream in = TwinModelTest.class.getResourceAsStream(name)) {
            return new String(java.util.Objects.requireNonNull(in, name).readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Map<String, double[]> simulatedDurations(Topology t, Duration d) {
        Map<String, List<Double>> by = new HashMap<>();
        TelemetrySink sink = (key, json, ts) -> {
            int i = json.indexOf("\"duration_ms\":");
            if (i < 0) {
                return;
            }
            int j = json.indexOf(',', i);
            by.computeIfAbsent(key, k -> new ArrayList<>()).add(Double.parseDouble(json.substring(i + 14, j)));
        };
        new Simulation(t, 5, Instant.parse("2024-03-04T00:00:00Z")).run(d, sink);
        Map<String, double[]> out = new HashMap<>();
        by.forEach((k, v) -> {
            double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(a);
            out.put(k, a);
        });
        return out;
    }

    @Test
    void ratesAndUtilisationFollowTheCallGraph() {
        Topology t = Topology.parse(YAML);
        TwinModel.Result r = TwinModel.evaluate(t, 270, 2000, 1);
        assertThat(r.services().get("api").arrivalRate()).isCloseTo(270, within(1e-9));
        assertThat(r.services().get("db").arrivalRate()).isCloseTo(270 * 2.1, within(1e-9));
        assertThat(r.services().get("db").utilisation()).isCloseTo(270 * 2.1 / (3 * 250), within(1e-9));
        assertThat(r.services().get("api").utilisation()).isCloseTo(270 / 400.0, within(1e-9));
        assertThat(r.bottleneck()).isEqualTo("db");
        // db saturates when 2.1·R = 750
        assertThat(r.services().get("db").saturationEntryRps()).isCloseTo(750 / 2.1, within(1e-6));
        TwinModel.Result what = TwinModel.evaluate(TwinModel.withOverrides(t, Map.of("db.replicas", "5")), 270, 2000, 1);
        assertThat(what.bottleneck()).isEqualTo("api");
        TwinModel.Result slow = TwinModel.evaluate(TwinModel.withOverrides(t, Map.of("api.service_time_ms", "10")),
                270, 2000, 1);
        assertThat(slow.services().get("api").saturated()).isTrue();
        assertThat(slow.paths().get(0).p99Ms()).isNaN();
        assertThatThrownBy(() -> TwinModel.withOverrides(t, Map.of("nope.replicas", "2")))
                .hasMessageContaining("unknown service");
    }

    /** The twin and the simulator agree on per-service and end-to-end p99 within 10% where ρ ≤ 0.8. */
    @Test
    void agreesWithSimulatorOnP99() {
        for (double rps : new double[] {150, 270}) {
            Topology base = Topology.parse(YAML);
            double scale = rps / TwinModel.baseEntryRps(base);
            Topology t = Topology.parse(YAML.replace("rps: 100", "rps: " + (100 * scale)));
            Map<String, double[]> sim = simulatedDurations(t, Duration.ofMinutes(6));
            TwinModel.Result model = TwinModel.evaluate(t, rps, TwinModel.DEFAULT_SAMPLES, 1);
            for (TwinModel.ServiceResult s : model.services().values()) {
                assertThat(s.utilisation()).isLessThanOrEqualTo(0.8);
                double simP99 = TwinModel.quantile(sim.get(s.service()), 0.99);
                double simP50 = TwinModel.quantile(sim.get(s.service()), 0.5);
                System.out.printf("rps %.0f %-4s rho %.3f p99 model %.2f ms sim %.2f ms (%+.1f%%), p50 model %.2f sim %.2f%n",
                        rps, s.service(), s.utilisation(), s.p99Ms(), simP99, 100 * (s.p99Ms() / simP99 - 1),
                        s.p50Ms(), simP50);
                assertThat(s.p99Ms()).isCloseTo(simP99, within(0.10 * simP99));
            }
            // web is the entry service: its span is the whole request
            assertThat(model.paths().get(0).p99Ms()).isCloseTo(TwinModel.quantile(sim.get("web"), 0.99),
                    within(0.10 * TwinModel.quantile(sim.get("web"), 0.99)));
        }
    }

    @Test
    void commandPrintsTablesAndBottleneck() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("topo", ".yaml");
        java.nio.file.Files.writeString(f, YAML);
        StringWriter sw = new StringWriter();
        CommandLine cl = HawkeyeCli.configure(new CommandLine(new CapacityCommand()));
        cl.setOut(new PrintWriter(sw));
        int code = cl.execute("--topology", f.toString(), "--rps", "100,400", "--samples", "2000",
                "--set", "db.replicas=4");
        assertThat(code).isZero();
        String out = sw.toString();
        System.out.println(out);
        assertThat(out).contains("== entry rate 100.0 req/s ==", "== entry rate 400.0 req/s ==", "bottleneck: api",
                "web > api > db", "SATURATED");
        java.nio.file.Files.delete(f);
    }
}
