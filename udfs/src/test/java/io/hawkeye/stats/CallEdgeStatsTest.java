package io.hawkeye.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawkeye.json.OutputRecordFixtures;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CallEdgeStatsTest {

    /** Nearest-rank quantile of the exact values, the reference the sketch's relative error is stated against. */
    private static double exact(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) Math.ceil(q * s.length) - 1];
    }

    @Test
    void percentilesOfClientServerAndGapAreWithinTheSketchAccuracyOfTheExactOnes() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 20_000;
        double[] client = new double[n], server = new double[n], gap = new double[n];
        boolean[] error = new boolean[n];
        int matched = 0, errors = 0;
        double[] pairedServer = new double[n];
        for (int i = 0; i < n; i++) {
            double srv = Math.exp(3 + 0.5 * rng.nextGaussian());      // lognormal, median ~20 ms
            double net = 0.5 + rng.nextExponential() * 2;               // time outside the callee
            client[i] = srv + net;
            error[i] = rng.nextDouble() < 0.03;
            if (error[i]) errors++;
            if (i % 10 == 9) {
                server[i] = Double.NaN;                                  // the callee's span never came
            } else {
                server[i] = srv;
                pairedServer[matched] = srv;
                gap[matched] = net;
                matched++;
            }
        }
        CallEdgeStats e = CallEdgeStats.of("a", "b", 0, 60_000, client, error, server, 0.01);
        assertThat(e.calls).isEqualTo(n);
        assertThat(e.errors).isEqualTo(errors);
        assertThat(e.matched).isEqualTo(matched).isEqualTo(18_000);
        double[] s = Arrays.copyOf(pairedServer, matched), g = Arrays.copyOf(gap, matched);
        // DDSketch with relative accuracy 0.01; floating-point rounding of client - server adds a hair.
        assertThat(e.clientP50Ms).isCloseTo(exact(client, 0.5), within(0.0101 * exact(client, 0.5)));
        assertThat(e.clientP99Ms).isCloseTo(exact(client, 0.99), within(0.0101 * exact(client, 0.99)));
        assertThat(e.serverP50Ms).isCloseTo(exact(s, 0.5), within(0.0101 * exact(s, 0.5)));
        assertThat(e.serverP99Ms).isCloseTo(exact(s, 0.99), within(0.0101 * exact(s, 0.99)));
        assertThat(e.gapP50Ms).isCloseTo(exact(g, 0.5), within(0.0101 * exact(g, 0.5)));
        assertThat(e.gapP99Ms).isCloseTo(exact(g, 0.99), within(0.0101 * exact(g, 0.99)));
    }

    @Test
    void negativeGapCountsAsZeroAndNoPairedCallLeavesServerAndGapNull() throws Exception {
        CallEdgeStats skew = CallEdgeStats.of("a", "b", 0, 1000, new double[] {10}, new boolean[] {false},
                new double[] {10.4}, 0.01);
        assertThat(skew.gapP50Ms).isZero();
        assertThat(skew.gapP99Ms).isZero();

        CallEdgeStats unpaired = CallEdgeStats.of("a", "b", 0, 1000, new double[] {10}, new boolean[] {true},
                new double[] {Double.NaN}, 0.01);
        assertThat(unpaired.matched).isZero();
        assertThat(unpaired.serverP99Ms).isNaN();
        var json = new ObjectMapper().readTree(unpaired.toJson());
        assertThat(json.get("gap_p50_ms").isNull()).isTrue();
        assertThat(json.get("client_p50_ms").asDouble()).isEqualTo(10.0);
        assertThat(json.get("series_id").asText()).isEqualTo("a|b");
    }

    @Test
    void jsonRoundTripAndDocumentId() {
        CallEdgeStats e = OutputRecordFixtures.callEdge();
        assertThat(e.calls).isEqualTo(3);
        assertThat(e.errors).isEqualTo(1);
        assertThat(e.matched).isEqualTo(2);
        assertThat(e.gapP50Ms).isCloseTo(2.0, within(0.02));   // gaps 2 and 5; DDSketch ranks q·(n − 1), rounded down
        assertThat(CallEdgeStats.fromJson(e.toJson())).isEqualTo(e);
        assertThat(e.documentId()).startsWith("checkout|inventory|");
    }
}
