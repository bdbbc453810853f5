package io.hawkeye.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hawkeye.queueing.MMc;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CapacityModelTest {

    @Test
    void mm1ResponseTimeIsExponential() {
        // M/M/1: T ~ Exp(μ − λ), so the p99 is ln(100)/(μ − λ).
        MMc q = MMc.of(8, 10, 1);
        assertThat(CapacityModel.responseTimeQuantile(q, 0.99)).isCloseTo(Math.log(100) / 2, within(1e-9));
        assertThat(CapacityModel.responseTimeTail(q, 0.5)).isCloseTo(Math.exp(-1), within(1e-12));
    }

    @Test
    void mmcTailMatchesMonteCarloOfWaitPlusService() {
        // c = 2, A = 1 Erlang: C = 1/3 (textbook); θ = 2 − 1 = 1 = μ exercises the degenerate branch.
        MMc q = MMc.of(1, 1, 2);
        assertThat(q.probabilityOfWaiting()).isCloseTo(1.0 / 3, within(1e-12));
        MMc q2 = MMc.of(8, 1, 10); // C(10, 8) = 0.4092 from Erlang C tables
        assertThat(q2.probabilityOfWaiting()).isCloseTo(0.4092, within(1e-4));
        for (MMc m : new MMc[] {q, q2}) {
            SplittableRandom rng = new SplittableRandom(1);
            int n = 400_000;
            double[] t = new double[n];
            for (int i = 0; i < n; i++) {
                t[i] = m.sampleWait(rng.nextDouble()) - Math.log(1 - rng.nextDouble()) / m.serviceRate();
            }
            Arrays.sort(t);
            double empirical = t[(int) (0.99 * n)];
            assertThat(CapacityModel.responseTimeQuantile(m, 0.99)).isCloseTo(empirical, within(0.02 * empirical));
        }
    }

    @Test
    void sizingPicksSmallestCountMeetingSloAndUtilisation() {
        // λ = 80/s, μ = 10/s per replica (100 ms mean). Utilisation 0.7 needs ceil(80/7) = 12 replicas.
        CapacityModel.Sizing s = CapacityModel.size(80, 10, 0.99, 2.0, 0.7, 1, 100);
        assertThat(s.replicas()).isEqualTo(12);
        assertThat(s.limitedBy()).isEqualTo("utilisation");
        // With a 0.95 ceiling utilisation alone needs 9 replicas (ρ = 0.89), where queueing pushes the p99
        // above 0.5 s (the service time alone has p99 ln(100)/10 = 0.46 s): latency decides.
        CapacityModel.Sizing t = CapacityModel.size(80, 10, 0.99, 0.5, 0.95, 1, 100);
        assertThat(t.replicas()).isGreaterThan(9);
        assertThat(t.limitedBy()).isEqualTo("latency");
        assertThat(t.latency()).isLessThanOrEqualTo(0.5);
        MMc one = MMc.of(80, 10, t.replicas() - 1);
        assertThat(CapacityModel.responseTimeQuantile(one, 0.99)).isGreaterThan(0.5);
        // Infeasible SLO: below the service-time p99 no replica count helps.
        CapacityModel.Sizing u = CapacityModel.size(80, 10, 0.99, 0.3, 0.7, 1, 100);
        assertThat(u.feasible()).isFalse();
        assertThat(u.replicas()).isEqualTo(12);
        assertThat(CapacityModel.size(1, 10, 0.99, 2, 0.7, 3, 10).limitedBy()).isEqualTo("min_replicas");
        assertThat(CapacityModel.size(1000, 10, 0.99, 2, 0.7, 1, 10).limitedBy()).isEqualTo("max_replicas");
    }

    @Test
    void serviceRateEstimates() {
        assertThat(CapacityModel.serviceRateFromUtilisation(120, 4, 0.6)).isCloseTo(50, within(1e-12));
        assertThat(CapacityModel.serviceRateFromUtilisation(0, 4, 0.6)).isNaN();
        assertThat(CapacityModel.serviceRateFromUtilisation(10, 4, 0.001)).isNaN();
        assertThat(CapacityModel.serviceRateFromLatency(0.004)).isCloseTo(250, within(1e-9));
    }
}
