package io.hawkeye.tools.rca;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import io.hawkeye.topology.Topology;
import io.hawkeye.topology.Topology.FaultType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * AC@1 / AC@3 of the ranking over simulated faults on two topologies (shared database: online-shop; wide
 * fan-out: rca/fan-out.yaml), several fault types and seeds. Slow (minutes), so opt-in:
 * {@code ./mvnw -pl jobs -am test -Dtest=RcaAccuracyTest -Dhawkeye.rca.eval=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "hawkeye.rca.eval", matches = "true")
class RcaAccuracyTest {
    @TempDir
    Path dir;

    record Case(String topology, FaultType type, String service, long seed) {}

    @Test
    void accuracyOverSimulatedFaults() throws Exception {
        Path shop = Path.of("../deploy/topologies/online-shop.yaml");
        Path fan = Path.of("src/test/resources/rca/fan-out.yaml");
        List<Case> cases = new java.util.ArrayList<>();
        long seed = 100;
        for (String s : List.of("postgres", "redis", "catalog", "search", "payment", "inventory", "checkout",
                "auth", "recommendation")) {
            cases.add(new Case(shop.toString(), FaultType.LATENCY, s, seed++));
        }
        for (String s : List.of("payment", "shipping", "catalog", "postgres")) {
            cases.add(new Case(shop.toString(), FaultType.ERROR_BURST, s, seed++));
        }
        for (String s : List.of("users-db", "cache", "orders", "search", "reviews", "pricing", "catalog-db")) {
            cases.add(new Case(fan.toString(), FaultType.LATENCY, s, seed++));
        }
        for (String s : List.of("shipping", "orders-db", "cache")) {
            cases.add(new Case(fan.toString(), FaultType.ERROR_BURST, s, seed++));
        }
        int top1 = 0, top3 = 0;
        StringBuilder report = new StringBuilder();
        for (Case c : cases) {
            Path d = Files.createTempDirectory(dir, "case");
            Topology t = Topology.load(Path.of(c.topology())).withSampling(0.2, 0);
            SimulatedIncident.generate(t, SimulatedIncident.fault(c.type(), c.service(), Duration.ofMinutes(22),
                    Duration.ofHours(1)), c.seed(), Duration.ofMinutes(20), Duration.ofMinutes(8), d);
            List<RankedCause> r = new RootCauseRanker().rank(GraphFiles.load(Path.of(c.topology())),
                    SignalCsv.read(d.resolve("normal.csv")).data(), SignalCsv.read(d.resolve("abnormal.csv")).data(),
                    null);
            int rank = r.stream().filter(x -> x.service().equals(c.service())).findFirst().orElseThrow().rank();
            if (rank == 1) top1++;
            if (rank <= 3) top3++;
            report.append(String.format(Locale.ROOT, "%-12s %-12s %-16s rank %d (top: %s)%n",
                    Path.of(c.topology()).getFileName(), c.type().yamlName(), c.service(), rank,
                    r.get(0).service()));
        }
        report.append(String.format(Locale.ROOT, "cases %d  AC@1 %.3f  AC@3 %.3f%n", cases.size(),
                (double) top1 / cases.size(), (double) top3 / cases.size()));
        System.out.print(report);
        Files.writeString(Path.of("target/rca-accuracy.txt"), report);
        assertThat((double) top3 / cases.size()).isGreaterThanOrEqualTo(0.8);
    }
}
