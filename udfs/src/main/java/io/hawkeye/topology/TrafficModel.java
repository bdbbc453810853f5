package io.hawkeye.topology;

import io.hawkeye.topology.Topology.Entry;
import io.hawkeye.topology.Topology.Fault;
import io.hawkeye.topology.Topology.FaultType;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Entry traffic: the request rate of each entry endpoint at a simulated instant.
 *
 * <p>rate(t) = rps · daily(t) · weekly(t) · trend(t) · noise · faults, where
 * daily = 1 + amplitude·cos(2π(h − peak_hour)/24) with h the fractional hour of day in the topology's
 * zone (so peak/trough = (1 + a)/(1 − a)); weekly = weekend_factor on Saturday and Sunday, else 1;
 * trend = max(0, 1 + trend_per_day·days since the simulation start); noise = max(0, 1 + noise·N(0,1)),
 * drawn once per entry per step (it models minute-scale burstiness on top of Poisson arrivals);
 * faults = the product of the factors of active traffic_drop faults on that entry.
 */
public final class TrafficModel {

    private final List<Entry> entries;
    private final List<Fault> faults;
    private final ZoneId zone;
    private final long startMillis;

    public TrafficModel(Topology topology, Instant start) {
        this.entries = topology.entries();
        this.faults = topology.faults();
        this.zone = topology.timezone();
        this.startMillis = start.toEpochMilli();
    }

    /** The expected rate (requests/s) without noise and faults. */
    double seasonalRate(Entry e, long epochMillis) {
        ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(zone);
        double hour = t.getHour() + t.getMinute() / 60.0 + t.getSecond() / 3600.0;
        double daily = 1 + e.dailyAmplitude() * Math.cos(2 * Math.PI * (hour - e.peakHour()) / 24);
        DayOfWeek d = t.getDayOfWeek();
        double weekly = (d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY) ? e.weekendFactor() : 1;
        double days = (epochMillis - startMillis) / 86_400_000.0;
        double trend = Math.max(0, 1 + e.trendPerDay() * days);
        return e.rps() * daily * weekly * trend;
    }

    /** Product of the factors of traffic_drop faults active on this entry. */
    double faultFactor(Entry e, long epochMillis) {
        long offset = epochMillis - startMillis;
        double f = 1;
        for (Fault fault : faults) {
            if (fault.type() == FaultType.TRAFFIC_DROP && fault.service().equals(e.service())
                    && (fault.endpoint() == null || fault.endpoint().equals(e.endpoint()))
                    && fault.activeAt(offset)) {
                f *= fault.factor();
            }
        }
        return f;
    }

    /** Rates of all entries for the step starting at {@code epochMillis}; draws one normal per noisy entry. */
    public double[] rates(long epochMillis, SplittableRandom rng) {
        double[] out = new double[entries.size()];
        for (int i = 0; i < out.length; i++) {
            Entry e = entries.get(i);
            double noise = e.noise() > 0 ? Math.max(0, 1 + e.noise() * Gaussian.next(rng)) : 1;
            out[i] = seasonalRate(e, epochMillis) * noise * faultFactor(e, epochMillis);
        }
        return out;
    }
}
