package io.hawkeye.queueing;

/**
 * The M/M/c queue: Poisson arrivals at rate λ, exponential service at rate μ per server, {@code c}
 * identical servers, one FIFO queue, infinite waiting room.
 *
 * <p>Used by the telemetry simulator to sample waiting times and, later, by predictive scaling and the
 * {@code capacity} CLI to size a service. Rates may be in any time unit as long as λ and μ share it;
 * every time this class returns is then in the reciprocal of that unit (rates per second → seconds).
 *
 * <p>Formulas (A = λ/μ the offered load in Erlangs, ρ = A/c the utilisation):
 * <ul>
 *   <li>Erlang B by the recurrence B(0) = 1, B(k) = A·B(k−1) / (k + A·B(k−1)); every term lies in [0, 1],
 *       so it neither overflows nor cancels, unlike the textbook sum of A^k/k! (which overflows near c = 170).
 *   <li>Erlang C (probability an arrival waits) C = B / (1 − ρ(1 − B)).
 *   <li>Waiting time W: P(W = 0) = 1 − C and, given W &gt; 0, W ~ Exp(cμ − λ). Hence E[W] = C / (cμ − λ),
 *       P(W &gt; t) = C·e^{−(cμ−λ)t}, and the p-quantile is 0 for p ≤ 1 − C, else ln(C / (1 − p)) / (cμ − λ).
 *   <li>Response (sojourn) time = W + S with S ~ Exp(μ): E[T] = E[W] + 1/μ.
 *   <li>Little's law: mean queue length Lq = λ·E[W], mean number in system L = λ·E[T].
 * </ul>
 *
 * <p>Unstable queues (ρ ≥ 1) have no steady state: {@link #isStable()} is false, C is 1, and every mean,
 * quantile and tail probability of the wait is {@link Double#POSITIVE_INFINITY} (tail probability 1).
 * Callers that need transient behaviour under overload (the simulator's fluid backlog) model it themselves.
 *
 * <p>Instances are immutable; the Erlang C value is computed once in the constructor (O(c)).
 */
public final class MMc {

    private final double arrivalRate;
    private final double serviceRate;
    private final int servers;
    private final double erlangC;

    /**
     * @param arrivalRate λ ≥ 0
     * @param serviceRate μ &gt; 0, per server
     * @param servers c ≥ 1
     * @throws IllegalArgumentException for a negative or non-finite λ, a non-positive μ, or c &lt; 1
     */
    public MMc(double arrivalRate, double serviceRate, int servers) {
        if (!(arrivalRate >= 0) || Double.isInfinite(arrivalRate)) {
            throw new IllegalArgumentException("arrival rate must be finite and >= 0, got " + arrivalRate);
        }
        if (!(serviceRate > 0) || Double.isInfinite(serviceRate)) {
            throw new IllegalArgumentException("service rate must be finite and > 0, got " + serviceRate);
        }
        if (servers < 1) {
            throw new IllegalArgumentException("servers must be >= 1, got " + servers);
        }
        this.arrivalRate = arrivalRate;
        this.serviceRate = serviceRate;
        this.servers = servers;
        this.erlangC = erlangC(servers, arrivalRate / serviceRate);
    }

    /** Convenience factory, same as the constructor. */
    public static MMc of(double arrivalRate, double serviceRate, int servers) {
        return new MMc(arrivalRate, serviceRate, servers);
    }

    /**
     * Erlang B blocking probability for {@code c} servers and offered load {@code a} Erlangs (M/M/c/c).
     * Stable for any c: the recurrence keeps every intermediate value in [0, 1].
     */
    public static double erlangB(int c, double a) {
        if (c < 0 || !(a >= 0)) {
            throw new IllegalArgumentException("need c >= 0 and a >= 0, got c=" + c + ", a=" + a);
        }
        double b = 1.0;
        for (int k = 1; k <= c; k++) {
            b = a * b / (k + a * b);
        }
        return b;
    }

    /**
     * Erlang C: probability that an arrival has to wait, for {@code c} servers and offered load {@code a}
     * Erlangs. Returns 1 when a ≥ c (no steady state: everyone waits).
     */
    public static double erlangC(int c, double a) {
        if (c < 1) {
            throw new IllegalArgumentException("need c >= 1, got " + c);
        }
        double rho = a / c;
        if (rho >= 1) {
            return 1.0;
        }
        double b = erlangB(c, a);
        return b / (1 - rho * (1 - b));
    }

    public double arrivalRate() {
        return arrivalRate;
    }

    public double serviceRate() {
        return serviceRate;
    }

    public int servers() {
        return servers;
    }

    /** A = λ/μ, in Erlangs: the mean number of busy servers when stable. */
    public double offeredLoad() {
        return arrivalRate / serviceRate;
    }

    /** ρ = λ/(cμ). */
    public double utilisation() {
        return arrivalRate / (servers * serviceRate);
    }

    /** True iff ρ &lt; 1, i.e. the queue has a steady state. */
    public boolean isStable() {
        return utilisation() < 1;
    }

    /** Probability that an arrival waits (Erlang C); 1 when unstable. */
    public double probabilityOfWaiting() {
        return erlangC;
    }

    /** The rate cμ − λ of the exponential part of the wait; ≤ 0 when unstable. */
    private double drainRate() {
        return servers * serviceRate - arrivalRate;
    }

    /** E[W] = C/(cμ − λ); +∞ when unstable. */
    public double meanWait() {
        return isStable() ? erlangC / drainRate() : Double.POSITIVE_INFINITY;
    }

    /** Mean service time 1/μ. */
    public double meanServiceTime() {
        return 1 / serviceRate;
    }

    /** E[T] = E[W] + 1/μ; +∞ when unstable. */
    public double meanResponseTime() {
        return meanWait() + meanServiceTime();
    }

    /** Lq = λ·E[W] (Little); +∞ when unstable. */
    public double meanQueueLength() {
        return isStable() ? arrivalRate * meanWait() : Double.POSITIVE_INFINITY;
    }

    /** P(W &gt; t) = C·e^{−(cμ−λ)t} for t ≥ 0; 1 when unstable. */
    public double probabilityWaitExceeds(double t) {
        if (t < 0) {
            return 1.0;
        }
        if (!isStable()) {
            return 1.0;
        }
        return erlangC * Math.exp(-drainRate() * t);
    }

    /**
     * The p-quantile of the waiting time (the inverse of its CDF): 0 when p ≤ 1 − C, otherwise
     * ln(C/(1 − p))/(cμ − λ). +∞ for p = 1 or an unstable queue (unless p ≤ 1 − C, impossible there).
     *
     * <p>Feeding a uniform random number in [0, 1) samples the waiting-time distribution exactly.
     *
     * @param p in [0, 1]
     */
    public double waitQuantile(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in [0, 1], got " + p);
        }
        if (p <= 1 - erlangC) {
            return 0.0;
        }
        if (!isStable() || p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        return Math.log(erlangC / (1 - p)) / drainRate();
    }

    /** Samples a waiting time from a uniform number {@code u} in [0, 1); see {@link #waitQuantile}. */
    public double sampleWait(double u) {
        return waitQuantile(u);
    }

    /**
     * The smallest number of servers for which the queue is stable and P(W &gt; maxWait) ≤ 1 − quantile,
     * i.e. the {@code quantile}-th percentile of the wait is at most {@code maxWait}. For capacity planning.
     *
     * @param arrivalRate λ ≥ 0
     * @param serviceRate μ &gt; 0
     * @param quantile    in (0, 1), e.g. 0.99
     * @param maxWait     ≥ 0, in the reciprocal time unit of the rates
     * @param maxServers  upper bound of the search; returns -1 if even that many are not enough
     */
    public static int minServers(double arrivalRate, double serviceRate, double quantile, double maxWait,
                                 int maxServers) {
        if (!(quantile > 0 && quantile < 1) || !(maxWait >= 0)) {
            throw new IllegalArgumentException("need quantile in (0,1) and maxWait >= 0");
        }
        int c = Math.max(1, (int) Math.floor(arrivalRate / serviceRate) + 1);
        for (; c <= maxServers; c++) {
            MMc q = new MMc(arrivalRate, serviceRate, c);
            if (q.isStable() && q.probabilityWaitExceeds(maxWait) <= 1 - quantile) {
                return c;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "MMc{λ=" + arrivalRate + ", μ=" + serviceRate + ", c=" + servers + ", ρ=" + utilisation()
                + ", C=" + erlangC + '}';
    }
}
