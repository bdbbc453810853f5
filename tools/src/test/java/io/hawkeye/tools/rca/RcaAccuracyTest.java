package io.hawkeye.tools.rca;

import static org.assertj.core.api.Assertions.assertThat;

import io.hawkeye.rca.RankedCause;
import io.hawkeye.rca.RootCauseRanker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * AC@1 / AC@3 of the ranking over the simulator's 23 faults ({@link SimulatedCases#standard}; the same cases as
 * {@code ./hawkeye rca-eval --simulated}). Slow (about a minute), so opt-in:
 * {@code ./mvnw -pl tools -am test -Dtest=RcaAccuracyTest -Dhawkeye.rca.eval=true -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "hawkeye.rca.eval", matches = "true")
class RcaAccuracyTest {
    @TempDir
    Path dir;

    @Test
    void accuracyOverSimulatedFaults() throws Exception {
        int top1 = 0, top3 = 0;
        StringBuilder report = new StringBuilder();
        List<SimulatedCases.Case> cases = SimulatedCases.standard();
        for (SimulatedCases.Case c : cases) {
            RcaCase rc = RcaCase.load(SimulatedCases.write(c, Path.of("../deploy/topologies"), dir));
            List<RankedCause> r = rc.rank(new RootCauseRanker(), true, null);
            int rank = rc.rankOfRootCause(r);
            if (rank == 1) top1++;
            if (rank <= 3) top3++;
            report.append(String.format(Locale.ROOT, "%-45s rank %d (top: %s)%n", c.name(), rank,
                    r.get(0).service()));
        }
        report.append(String.format(Locale.ROOT, "cases %d  AC@1 %.3f  AC@3 %.3f%n", cases.size(),
                (double) top1 / cases.size(), (double) top3 / cases.size()));
        System.out.print(report);
        Files.writeString(Path.of("target/rca-accuracy.txt"), report);
        assertThat((double) top1 / cases.size()).isGreaterThanOrEqualTo(0.95);
        assertThat(top3).isEqualTo(cases.size());
    }
}
