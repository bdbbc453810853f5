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

    /** Response times of M/G/c with lognormal service (mean 1/μ, shape σ) and Allen–Cunneen waits, sorted. */
    private static double[] sampleMgc(MMc q, double sigma, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double cv2 = Math.expm1(sigma * sigma);
        double theta = (q.servers() * q.serviceRate() - q.arrivalRate()) * 2 / (1 + cv2);
        double m = -Math.log(q.serviceRate()) - sigma * sigma / 2;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            double u1 = rng.nextDouble();
            double u2 = rng.nextDouble();
            double z = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
            double w = rng.nextDouble() < q.probabilityOfWaiting() ? -Math.log(1 - rng.nextDouble()) / theta : 0;
            t[i] = Math.exp(m + sigma * z) + w;
        }
        Arrays.sort(t);
        return t;
    }

    @Test
    void mgcTailMatchesMonteCarloOfLognormalServicePlusAllenCunneenWait() {
        // The twin's service (median 40 ms, σ = 0.5: cv² = 0.284, μ = 22.06/s) at 2, 3 and 10 replicas.
        double mu = 1 / (0.040 * Math.exp(0.125));
        for (MMc q : new MMc[] {MMc.of(30, mu, 2), MMc.of(50, mu, 3), MMc.of(190, mu, 10)}) {
            double[] t = sampleMgc(q, 0.5, 400_000, 7);
            double empirical = t[(int) (0.99 * t.length)];
            double cv2 = Math.expm1(0.25);
            assertThat(CapacityModel.responseTimeQuantile(q, cv2, 0.99)).as(q.toString())
                    .isCloseTo(empirical, within(0.02 * empirical));
            long above = Arrays.stream(t).filter(x -> x > 0.25).count();
            assertThat(CapacityModel.responseTimeTail(q, cv2, 0.25)).as(q.toString())
                    .isCloseTo((double) above / t.length, within(0.0005 + 0.05 * above / t.length));
        }
        // cv² = NaN is the exact M/M/c.
        MMc q = MMc.of(8, 1, 10);
        assertThat(CapacityModel.responseTimeQuantile(q, Double.NaN, 0.99))
                .isEqualTo(CapacityModel.responseTimeQuantile(q, 0.99));
    }

    @Test
    void lessVariableServiceTimesNeedFewerReplicasWhereLatencyDecides() {
        double mu = 22.06; // 45.3 ms mean
        // Exponential: the service time alone has p99 209 ms, leaving 41 ms of a 250 ms SLO for queueing.
        CapacityModel.Sizing mmc = CapacityModel.size(45, 45, mu, Double.NaN, 0.99, 0.25, 1.0, 1, 100);
        // Lognormal σ = 0.5: p99 128 ms, so three replicas (ρ = 0.68) already meet it.
        CapacityModel.Sizing mgc = CapacityModel.size(45, 45, mu, Math.expm1(0.25), 0.99, 0.25, 1.0, 1, 100);
        assertThat(mmc.limitedBy()).isEqualTo("latency");
        assertThat(mgc.replicas()).isEqualTo(3).isLessThan(mmc.replicas());
        assertThat(CapacityModel.serviceTimeQuantile(mu, Math.expm1(0.25), 0.99))
                .isCloseTo(0.040 * Math.exp(2.3263 * 0.5), within(0.001));
        // Two rates: the ceiling applies to the first, the latency objective to the second.
        CapacityModel.Sizing two = CapacityModel.size(100, 160, mu, Math.expm1(0.25), 0.99, 0.25, 0.7, 1, 100);
        assertThat(two.replicas()).isGreaterThanOrEqualTo((int) Math.ceil(100 / (mu * 0.7)));
        assertThat(CapacityModel.meetsLatency(160, mu, Math.expm1(0.25), two.replicas(), 0.99, 0.25)).isTrue();
    }

    @Test
    void lognormalShapeIsRecoveredFromAResponseTimeP99UnderQueueing() {
        // Estimator of the planner: the σ at which the M/G/c model puts 1% above the observed p99. Observed p99s
        // of 2,000 sampled requests (a busy minute) at low, moderate and heavy queueing; true σ = 0.5.
        double mu = 1 / (0.040 * Math.exp(0.125));
        for (MMc q : new MMc[] {MMc.of(5, mu, 2), MMc.of(40, mu, 3), MMc.of(150, mu, 10)}) {
            double sum = 0;
            int windows = 50;
            for (int w = 0; w < windows; w++) {
                double[] t = sampleMgc(q, 0.5, 2000, 100 + w);
                sum += CapacityModel.lognormalSigmaFromQuantile(q, 0.99, t[(int) Math.ceil(0.99 * (t.length - 1))]);
            }
            assertThat(sum / windows).as(q.toString()).isCloseTo(0.5, within(0.03));
        }
        // Exponential service times (no queueing): the lognormal with the same p99 and mean has σ ≈ 0.83.
        MMc idle = MMc.of(0.01, 10, 1);
        double sigma = CapacityModel.lognormalSigmaFromQuantile(idle, 0.99, Math.log(100) / 10);
        assertThat(CapacityModel.serviceTimeQuantile(10, Math.expm1(sigma * sigma), 0.99))
                .isCloseTo(Math.log(100) / 10, within(0.005));
    }
}
