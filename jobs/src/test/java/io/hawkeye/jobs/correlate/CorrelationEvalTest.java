package io.hawkeye.jobs.correlate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.jobs.correlate.StreamingFaultRun.Case;
import io.hawkeye.jobs.correlate.StreamingFaultRun.Result;
import io.hawkeye.jobs.correlate.StreamingFaultRun.Settings;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.topology.Topology.FaultType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The streaming correlation on simulated faults, end to end through the job's workflows (window statistics →
 * seasonal detection → correlation) on a MiniCluster: per fault, the incidents formed, the top candidate, the
 * alert compression and the time from the first alert to the incident (docs/correlation.md).
 *
 * <p>{@link #databaseLatencyFault} always runs (one case). The full evaluation is slow (minutes), so opt-in:
 * {@code ./mvnw -B -pl jobs -am test -Dtest=CorrelationEvalTest -Dhawkeye.correlation.eval=true
 * -Dsurefire.failIfNoSpecifiedTests=false}; it writes {@code jobs/target/correlation-eval.txt}.
 */
class CorrelationEvalTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = TestJobs.miniCluster();

    static final Path SHOP = Path.of("../deploy/topologies/online-shop.yaml");
    static final Path FAN = Path.of("../deploy/topologies/fan-out.yaml");

    @Test
    void databaseLatencyFault() throws Exception {
        Result r = StreamingFaultRun.run(new Case(SHOP, FaultType.LATENCY, "postgres", 100), Settings.defaults());
        System.out.println(line(r));
        assertThat(r.topCause()).isEqualTo("postgres");
        assertThat(r.faultIncidents()).isEqualTo(1);
        assertThat(r.faultAlerts()).isGreaterThan(3);
        assertThat(r.toIncidentMs()).isZero();
    }

    /**
     * A network delay in front of postgres (every call into it 50 ms longer; postgres itself as fast as before):
     * with client spans and the capability call-edges, the gap alerts on the edges into postgres name it; its
     * own metrics show nothing.
     */
    @Test
    void networkDelayIsFoundFromTheCallEdges() throws Exception {
        Result r = StreamingFaultRun.run(new Case(SHOP, FaultType.NETWORK_DELAY, "postgres", 200),
                Settings.defaults().withCallEdges());
        System.out.println(line(r));
        System.out.println("    members:" + r.members());
        assertThat(r.topCause()).isEqualTo("postgres");
        assertThat(r.faultIncidents()).isEqualTo(1);
        assertThat(r.members()).contains("gap_p");
    }

    @Test
    @EnabledIfSystemProperty(named = "hawkeye.correlation.eval", matches = "true")
    void evaluation() throws Exception {
        List<Case> cases = new ArrayList<>();
        long seed = 100;
        for (String s : List.of("postgres", "redis", "catalog", "search", "payment", "inventory", "checkout",
                "auth", "recommendation")) {
            cases.add(new Case(SHOP, FaultType.LATENCY, s, seed++));
        }
        for (String s : List.of("payment", "shipping", "catalog", "postgres")) {
            cases.add(new Case(SHOP, FaultType.ERROR_BURST, s, seed++));
        }
        for (String s : List.of("users-db", "cache", "orders", "search", "reviews", "pricing", "catalog-db")) {
            cases.add(new Case(FAN, FaultType.LATENCY, s, seed++));
        }
        for (String s : List.of("shipping", "orders-db", "cache")) {
            cases.add(new Case(FAN, FaultType.ERROR_BURST, s, seed++));
        }
        evaluate(cases, CALL_EDGES ? Settings.defaults().withCallEdges() : Settings.defaults(), "");
    }

    /** Client spans and capability call-edges in the evaluation ({@code -Dhawkeye.correlation.eval.call-edges}). */
    static final boolean CALL_EDGES = Boolean.getBoolean("hawkeye.correlation.eval.call-edges");

    /**
     * Network delays in front of services with several callers and with one, with and without client spans and
     * the capability call-edges (opt-in with the evaluation; writes {@code target/correlation-eval-network.txt}).
     */
    @Test
    @EnabledIfSystemProperty(named = "hawkeye.correlation.eval", matches = "true")
    void networkDelayEvaluation() throws Exception {
        List<Case> cases = new ArrayList<>();
        long seed = 300;
        for (String s : List.of("postgres", "redis", "inventory", "catalog", "payment", "search", "auth")) {
            cases.add(new Case(SHOP, FaultType.NETWORK_DELAY, s, seed++));
        }
        for (String s : List.of("users-db", "cache", "orders", "catalog-db")) {
            cases.add(new Case(FAN, FaultType.NETWORK_DELAY, s, seed++));
        }
        evaluate(cases, Settings.defaults().withCallEdges(), "-network");
        evaluate(cases, Settings.defaults(), "-network-without-call-edges");
    }

    private static void evaluate(List<Case> cases, Settings settings, String suffix) throws Exception {
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "settings: %s, parallelism %d, graph %s%n", settings,
                StreamingFaultRun.PARALLELISM, StreamingFaultRun.LEARNED_ONLY ? "learned only" : "static + learned"));
        report.append(String.format(Locale.ROOT, "%-40s %6s %4s %6s %-16s %4s %8s %8s %8s %5s %6s %5s%n", "case",
                "alerts", "inc", "compr", "top", "rank", "detect_s", "toInc_s", "toRoot_s", "noise", "rootAl",
                "sec"));
        int top1 = 0, top3 = 0, alerts = 0, incidents = 0, withAlerts = 0, within1 = 0;
        List<Long> toRoot = new ArrayList<>();
        for (Case c : cases) {
            Result r = StreamingFaultRun.run(c, settings);
            report.append(line(r)).append('\n');
            if (r.rank() != 1) report.append("    members:").append(r.members()).append('\n');
            System.out.println(line(r));
            if (r.rank() == 1) top1++;
            if (r.rank() >= 1 && r.rank() <= 3) top3++;
            alerts += r.faultAlerts();
            incidents += r.faultIncidents();
            if (r.faultAlerts() > 0) {
                withAlerts++;
                if (r.toIncidentMs() >= 0 && r.toIncidentMs() <= settings.window().toMillis()) within1++;
            }
            if (r.toRightCauseMs() >= 0) toRoot.add(r.toRightCauseMs());
        }
        toRoot.sort(null);
        int n = cases.size();
        report.append(String.format(Locale.ROOT,
                "cases %d  AC@1 %.3f  AC@3 %.3f  compression %.2f (%d alerts / %d incidents)  "
                        + "first alert -> incident within 1 window: %d/%d  first alert -> correct top cause: "
                        + "median %.0f s, max %.0f s (%d cases)%n",
                n, (double) top1 / n, (double) top3 / n, incidents == 0 ? 0.0 : (double) alerts / incidents, alerts,
                incidents, within1, withAlerts, toRoot.isEmpty() ? -1.0 : toRoot.get(toRoot.size() / 2) / 1000.0,
                toRoot.isEmpty() ? -1.0 : toRoot.get(toRoot.size() - 1) / 1000.0, toRoot.size()));
        System.out.print(report);
        Files.writeString(Path.of("target/correlation-eval" + (StreamingFaultRun.PARALLELISM != 1
                ? "-p" + StreamingFaultRun.PARALLELISM : "") + (StreamingFaultRun.LEARNED_ONLY ? "-learned" : "")
                + (settings.callEdges() && suffix.isEmpty() ? "-call-edges" : "") + suffix + ".txt"), report);
        assertThat(withAlerts).isEqualTo(n);
    }

    static String line(Result r) {
        return String.format(Locale.ROOT, "%-40s %6d %4d %6.1f %-16s %4d %8.0f %8.0f %8.0f %5d %6s %5.1f",
                r.c().label(), r.faultAlerts(), r.faultIncidents(),
                r.faultIncidents() == 0 ? 0.0 : (double) r.faultAlerts() / r.faultIncidents(), r.topCause(), r.rank(),
                r.detectMs() / 1000.0, r.toIncidentMs() / 1000.0, r.toRightCauseMs() / 1000.0, r.noiseIncidents(),
                r.rootAlerted() ? "yes" : "no", r.seconds());
    }
}
