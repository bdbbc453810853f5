package io.hawkeye.simulator;

import io.hawkeye.queueing.MMc;
import io.hawkeye.topology.Topology.Fault;
import io.hawkeye.topology.Topology.Service;
import io.hawkeye.topology.TrafficModel;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The queue of one service during a simulation: its live replicas, effective service rate, arrival rate
 * of the current step and the fluid backlog carried between steps.
 *
 * <p>Model, per step of length dt:
 * <ul>
 *   <li>live replicas c = replicas − Σ replicas_lost of active capacity_loss faults (≥ 0);
 *   <li>mean service time s = mean·Π multiplier + Σ extra_ms of active latency faults, so a slow
 *       dependency also lowers the service rate μ = 1/s and raises utilisation ρ = λ/(cμ) — a slow
 *       database queues up, not just adds a constant;
 *   <li>backlog (requests) ← clamp(backlog + (λ − cμ)·dt, 0, cμ·timeout): a fluid approximation of the
 *       transient queue of an overloaded service. It grows only while ρ ≥ 1 and drains at cμ − λ after.
 *       The cap models clients giving up: a request that would wait longer than the timeout is gone;
 *   <li>a request's wait = backlog/(cμ) + a sample of the stationary M/M/c wait at min(ρ, 0.99). The cap
 *       at 0.99 keeps the stationary part finite; above it overload is represented by the backlog.
 * </ul>
 * The M/M/c wait assumes exponential service times; with lognormal service it is an approximation
 * (Allen–Cunneen would scale it by (1 + cv²)/2), accepted because the point is realistic shapes, not
 * exact tails.
 */
final class ServiceModel {

    /** Utilisation at which the stationary wait is capped; see class comment. */
    static final double MAX_STATIONARY_RHO = 0.99;

    final Service spec;
    final String[] instanceNames;

    private double lambda;
    private int live;
    private double multiplier = 1;
    private double extraMs;
    /** Added to every call into this service on the caller's side (network delay faults). */
    private double networkDelayMs;
    private double errorProbability;
    private double meanServiceMs;
    private double capacity; // cμ, requests per second
    private double backlog;
    private MMc stationary; // null when no replica is live

    ServiceModel(Service spec) {
        this.spec = spec;
        this.instanceNames = new String[spec.replicas()];
        for (int i = 0; i < instanceNames.length; i++) {
            instanceNames[i] = spec.name() + "-" + i;
        }
    }

    /**
     * Applies the faults active at {@code offsetMillis}, sets the arrival rate and advances the backlog by
     * {@code dtSeconds}.
     */
    void beginStep(double arrivalRate, List<Fault> faults, long offsetMillis, double dtSeconds) {
        lambda = arrivalRate;
        int lost = 0;
        multiplier = 1;
        extraMs = 0;
        networkDelayMs = 0;
        double survive = 1 - spec.errorRate();
        for (Fault f : faults) {
            if (!f.service().equals(spec.name()) || !f.activeAt(offsetMillis)) {
                continue;
            }
            switch (f.type()) {
                case LATENCY -> {
                    multiplier *= f.multiplier();
                    extraMs += f.extraMs();
                }
                case ERROR_BURST -> survive *= 1 - f.errorRate();
                case CAPACITY_LOSS -> lost += f.replicasLost();
                case TRAFFIC_DROP -> { } // acts on entry traffic, see TrafficModel
                case NETWORK_DELAY -> networkDelayMs += f.extraMs();
            }
        }
        errorProbability = 1 - survive;
        live = Math.max(0, spec.replicas() - lost);
        meanServiceMs = spec.serviceTime().meanMs() * multiplier + extraMs;
        if (live == 0) {
            capacity = 0;
            stationary = null;
            backlog = 0; // nobody is listening: callers fail fast, no queue forms
            return;
        }
        double mu = 1000.0 / meanServiceMs;
        capacity = live * mu;
        double timeoutSeconds = spec.timeoutMs() / 1000.0;
        backlog = Math.min(Math.max(0, backlog + (lambda - capacity) * dtSeconds), capacity * timeoutSeconds);
        stationary = new MMc(Math.min(lambda, MAX_STATIONARY_RHO * capacity), mu, live);
    }

    int liveReplicas() {
        return live;
    }

    double arrivalRate() {
        return lambda;
    }

    /** ρ = λ/(cμ); +∞ without live replicas. */
    double utilisation() {
        return live == 0 ? Double.POSITIVE_INFINITY : lambda / capacity;
    }

    double backlog() {
        return backlog;
    }

    double errorProbability() {
        return errorProbability;
    }

    /** Mean requests waiting: stationary Lq (at the capped ρ) plus the fluid backlog. */
    double queueDepth() {
        return stationary == null ? 0 : stationary.meanQueueLength() + backlog;
    }

    /** Busy fraction of a replica: ρ, or 1 while a backlog exists. */
    double busyFraction() {
        if (live == 0) {
            return 0;
        }
        return backlog > 0 ? 1 : Math.min(1, utilisation());
    }

    /** Queueing delay of one request, ms. Requires a live replica. */
    double sampleWaitMs(SplittableRandom rng) {
        double w = stationary.sampleWait(rng.nextDouble()) * 1000;
        return backlog > 0 ? w + backlog / capacity * 1000 : w;
    }

    /** Processing time of one request under the active latency faults, ms. */
    double sampleServiceMs(SplittableRandom rng) {
        return spec.serviceTime().sampleMs(rng) * multiplier + extraMs;
    }

    double meanServiceMs() {
        return meanServiceMs;
    }

    /** Time added on the way to this service by active network-delay faults, in ms (0 without). */
    double networkDelayMs() {
        return networkDelayMs;
    }
}
