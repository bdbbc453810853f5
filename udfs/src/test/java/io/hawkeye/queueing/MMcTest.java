package io.hawkeye.queueing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MMcTest {

    @Test
    void erlangTableValues() {
        // c = 2, A = 1: B = 1/5, C = 1/3 (standard textbook example).
        assertThat(MMc.erlangB(2, 1.0)).isCloseTo(0.2, within(1e-12));
        assertThat(MMc.erlangC(2, 1.0)).isCloseTo(1.0 / 3, within(1e-12));
        // c = 1: C = ρ.
        assertThat(MMc.erlangC(1, 0.7)).isCloseTo(0.7, within(1e-12));
        // c = 10, A = 8 Erlangs: 0.4092 in published Erlang C tables.
        assertThat(MMc.erlangC(10, 8.0)).isCloseTo(0.4092, within(1e-4));
    }

    @Test
    void mm1ClosedForms() {
        double lambda = 8, mu = 10;
        MMc q = MMc.of(lambda, mu, 1);
        double rho = 0.8;
        assertThat(q.utilisation()).isCloseTo(rho, within(1e-12));
        assertThat(q.meanWait()).isCloseTo(rho / (mu - lambda), within(1e-12));
        assertThat(q.meanResponseTime()).isCloseTo(1 / (mu - lambda), within(1e-12));
        assertThat(q.meanQueueLength()).isCloseTo(rho * rho / (1 - rho), within(1e-12));
        assertThat(q.probabilityWaitExceeds(0.3)).isCloseTo(rho * Math.exp(-(mu - lambda) * 0.3), within(1e-12));
        // The sojourn time of M/M/1 is Exp(μ − λ): its p99 is ln(100)/(μ − λ); the wait's p99 solves
        // ρ e^{−(μ−λ)t} = 0.01.
        assertThat(q.waitQuantile(0.99)).isCloseTo(Math.log(rho / 0.01) / (mu - lambda), within(1e-12));
        assertThat(q.waitQuantile(0.1)).isZero();
    }

    @Test
    void largeServerCountsAreStableAndMatchLogSpaceReference() {
        for (int c : new int[] {50, 200, 1000}) {
            double a = 0.95 * c;
            double expected = referenceErlangC(c, a);
            assertThat(MMc.erlangC(c, a)).as("c=%d", c).isCloseTo(expected, within(1e-9)).isBetween(0.0, 1.0);
        }
        MMc big = MMc.of(990, 1, 1000);
        assertThat(big.meanWait()).isFinite().isPositive();
    }

    /** Direct formula evaluated in log space (independent of the recurrence under test). */
    private static double referenceErlangC(int c, double a) {
        double[] logTerms = new double[c + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < c; k++) {
            logTerms[k] = k * Math.log(a) - logFactorial(k);
            max = Math.max(max, logTerms[k]);
        }
        double rho = a / c;
        logTerms[c] = c * Math.log(a) - logFactorial(c) - Math.log(1 - rho);
        max = Math.max(max, logTerms[c]);
        double sum = 0;
        for (double t : logTerms) {
            sum += Math.exp(t - max);
        }
        return Math.exp(logTerms[c] - max) / sum;
    }

    private static double logFactorial(int n) {
        double s = 0;
        for (int i = 2; i <= n; i++) {
            s += Math.log(i);
        }
        return s;
    }

    @Test
    void unstableQueueIsReportedAsInfinite() {
        MMc q = MMc.of(20, 10, 2);
        assertThat(q.isStable()).isFalse();
        assertThat(q.probabilityOfWaiting()).isEqualTo(1.0);
        assertThat(q.meanWait()).isInfinite();
        assertThat(q.meanResponseTime()).isInfinite();
        assertThat(q.waitQuantile(0.5)).isInfinite();
        assertThat(q.probabilityWaitExceeds(100)).isEqualTo(1.0);
    }

    @Test
    void sampledWaitsMatchTheMean() {
        MMc q = MMc.of(30, 10, 4);
        SplittableRandom rng = new SplittableRandom(7);
        int n = 200_000;
        double sum = 0;
        int zero = 0;
        for (int i = 0; i < n; i++) {
            double w = q.sampleWait(rng.nextDouble());
            sum += w;
            if (w == 0) {
                zero++;
            }
        }
        assertThat(sum / n).isCloseTo(q.meanWait(), within(q.meanWait() * 0.03));
        assertThat((double) zero / n).isCloseTo(1 - q.probabilityOfWaiting(), within(0.01));
    }

    @Test
    void minServersMeetsTheTarget() {
        int c = MMc.minServers(95, 10, 0.99, 0.05, 1000);
        assertThat(MMc.of(95, 10, c).probabilityWaitExceeds(0.05)).isLessThanOrEqualTo(0.01);
        assertThat(MMc.of(95, 10, c - 1).probabilityWaitExceeds(0.05)).isGreaterThan(0.01);
        assertThat(MMc.minServers(95, 10, 0.99, 0.05, 5)).isEqualTo(-1);
    }

    @Test
    void rejectsInvalidParameters() {
        assertThatThrownBy(() -> MMc.of(-1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MMc.of(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MMc.of(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
