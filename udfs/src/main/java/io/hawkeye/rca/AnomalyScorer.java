package io.hawkeye.rca;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per-service anomaly strength from a normal and an abnormal period (docs/rca.md, "Anomaly strength").
 *
 * <p>For each signal of a service: centre {@code m} = median of the normal period, scale
 * {@code s = max(1.4826·MAD, IQR/1.349, (q95−q05)/3.29, 0.01·max|x|)} (robust, and never zero: a signal that is
 * constant in the normal period is measured against 1 % of its magnitude). Every value gets
 * {@code z = (x − m)/s}, directional by {@link SignalKind} (latency and errors only upwards, others both ways),
 * capped at {@value #Z_CAP}. The signal's score is the {@value #QUANTILE} quantile of z over the abnormal
 * period (robust to a single spike, still sensitive when only the later part of the window is faulty), and
 * its strength {@code log(1 + max(0, z_q − 3))}: nothing below the classical 3-sigma noise allowance counts,
 * and the logarithm keeps one enormous z from dwarfing everything else. A service's strength is the maximum
 * over its signals. Onset: a one-sided CUSUM {@code S = max(0, S + z − 3)} on the service's per-timestamp max z
 * over the abnormal period; the change point is the start of the first run that exceeds {@value #CUSUM_H}.
 */
public final class AnomalyScorer {
    public static final double QUANTILE = 0.9;
    public static final double NOISE_Z = 3.0;
    public static final double Z_CAP = 100.0;
    public static final double CUSUM_H = 5.0;
    /** Fewer normal-period values than this and a signal is not scored. */
    public static final int MIN_NORMAL_POINTS = 3;

    private AnomalyScorer() {}

    /** Scores every service of {@code services}; services without usable data get {@link ServiceAnomaly#noData}. */
    public static Map<String, ServiceAnomaly> score(Collection<String> services, SignalData normal,
            SignalData abnormal) {
        Map<String, ServiceAnomaly> out = new LinkedHashMap<>();
        for (String s : new TreeSet<>(services)) {
            out.put(s, scoreService(s, normal, abnormal));
        }
        return out;
    }

    static ServiceAnomaly scoreService(String service, SignalData normal, SignalData abnormal) {
        TreeSet<String> signals = new TreeSet<>(normal.signals(service).keySet());
        signals.addAll(abnormal.signals(service).keySet());
        double best = 0, bestUp = 0, bestZ = Double.NaN;
        String bestSignal = null;
        double bestQ = Double.NEGATIVE_INFINITY;
        TreeMap<Long, Double> series = new TreeMap<>();
        TreeMap<Long, Double> abnormalSeries = new TreeMap<>();
        boolean scored = false;
        for (String signal : signals) {
            NavigableMap<Long, Double> n = normal.series(service, signal);
            NavigableMap<Long, Double> a = abnormal.series(service, signal);
            if (n.size() < MIN_NORMAL_POINTS || a.isEmpty()) continue;
            scored = true;
            SignalKind kind = SignalKind.of(signal);
            double[] nv = values(n);
            double m = Robust.median(nv);
            double maxAbs = 0;
            for (double v : nv) maxAbs = Math.max(maxAbs, Math.abs(v));
            for (double v : a.values()) maxAbs = Math.max(maxAbs, Math.abs(v));
            double scale = Math.max(Math.max(1.4826 * Robust.mad(nv, m),
                    (Robust.quantile(nv, 0.75) - Robust.quantile(nv, 0.25)) / 1.349),
                    Math.max((Robust.quantile(nv, 0.95) - Robust.quantile(nv, 0.05)) / 3.29, 0.01 * maxAbs));
            if (!(scale > 0)) scale = 1e-12; // all zeros everywhere: every z is 0 anyway
            double[] az = new double[a.size()];
            double[] signed = new double[a.size()];
            int i = 0;
            for (Map.Entry<Long, Double> e : a.entrySet()) {
                double z = (e.getValue() - m) / scale;
                signed[i] = z;
                double d = directional(z, kind);
                az[i++] = d;
                abnormalSeries.merge(e.getKey(), d, Math::max);
                series.merge(e.getKey(), d, Math::max);
            }
            for (Map.Entry<Long, Double> e : n.entrySet()) {
                series.merge(e.getKey(), directional((e.getValue() - m) / scale, kind), Math::max);
            }
            double zq = Robust.quantile(az, QUANTILE);
            double strength = strength(zq);
            if (strength > best || strength == best && zq > bestQ) {
                best = strength;
                bestQ = zq;
                bestSignal = signal;
                double med = Robust.median(signed);
                bestZ = med < 0 && kind.twoSided ? -zq : zq;
            }
            if (kind.propagatesUpstream) bestUp = Math.max(bestUp, strength);
        }
        if (!scored) return ServiceAnomaly.noData(service);
        long onset = best > 0 ? onset(abnormalSeries) : ServiceAnomaly.NO_ONSET;
        return new ServiceAnomaly(service, best, bestUp, bestSignal, bestZ, onset, series, true);
    }

    /** {@code log(1 + max(0, z − 3))}. */
    public static double strength(double z) {
        return Math.log1p(Math.max(0, z - NOISE_Z));
    }

    static double directional(double z, SignalKind kind) {
        double d = kind.twoSided ? Math.abs(z) : Math.max(0, z);
        return Math.min(Z_CAP, d);
    }

    /** CUSUM change point over the abnormal period, or NO_ONSET. */
    static long onset(NavigableMap<Long, Double> z) {
        double s = 0;
        long runStart = ServiceAnomaly.NO_ONSET;
        for (Map.Entry<Long, Double> e : z.entrySet()) {
            double next = Math.max(0, s + e.getValue() - NOISE_Z);
            if (s == 0 && next > 0) runStart = e.getKey();
            s = next;
            if (s > CUSUM_H) return runStart;
        }
        return ServiceAnomaly.NO_ONSET;
    }

    private static double[] values(NavigableMap<Long, Double> m) {
        List<Double> l = new ArrayList<>(m.values());
        double[] v = new double[l.size()];
        for (int i = 0; i < v.length; i++) v[i] = l.get(i);
        return v;
    }
}
