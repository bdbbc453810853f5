package io.hawkeye.tools.detect;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Event-level scores of alert onsets against labelled segments of one series (no point adjustment): what
 * {@code ./hawkeye evaluate} reports per file and overall.
 *
 * <p>Rows are indexed 0..n−1; rows before {@code from} are the warm-up (a segment reaching into it is dropped
 * and {@code from} moves past it). An <em>onset</em> is a row ≥ {@code from} that is firing while the row
 * before is not. A segment [s, e] (inclusive) is <em>detected</em> by the first onset in its window
 * [max(from, s − lead), e]; an onset detects at most one segment (the earliest undetected one whose window
 * holds it). An onset inside the window of an already detected segment is a <em>repeat</em>; any other onset is
 * a <em>false alarm</em>. Precision = detected / onsets (repeats and false alarms both count against it);
 * recall = detected / segments; false alarms per 1,000 points = false alarms / rows outside segments × 1000;
 * delay = detecting onset − s (negative: in the lead).
 *
 * <p>Windowed early-detection score (NAB-style, standard profile): a detected window earns
 * A_TP·σ(y), y = −(e − i + 1)/(e − w + 1) for the detecting onset i in window [w, e] (−1 at the window's first
 * row, → 0 at its last), σ(y) = 2/(1 + e^{5y}) − 1; a missed window costs A_FN; each false alarm costs A_FP;
 * repeats cost nothing. Normalised as 100·(S − S_null)/(S_perfect − S_null), S_null = −A_FN·windows (never
 * fires), S_perfect = σ(−1)·windows (every window detected at its first row).
 */
public final class EventEvaluation {
    public static final double A_TP = 1.0;
    public static final double A_FP = 0.11;
    public static final double A_FN = 1.0;
    /** A score at or above this prints as 1.000000 in the backtest output: the maximum score. */
    public static final double SATURATED = 0.9999995;

    private EventEvaluation() {
    }

    /** A labelled segment, rows {@code start..end} inclusive. */
    public record Segment(int start, int end) {
    }

    /** Maximal runs of {@code true} in {@code truth}. */
    public static List<Segment> segments(boolean[] truth) {
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < truth.length; i++) {
            if (truth[i] && (i == 0 || !truth[i - 1])) {
                int e = i;
                while (e + 1 < truth.length && truth[e + 1]) e++;
                out.add(new Segment(i, e));
            }
        }
        return out;
    }

    /** NAB's scaled sigmoid. */
    public static double sigmoid(double y) {
        return 2 / (1 + Math.exp(5 * y)) - 1;
    }

    /** The first evaluated row: {@code from}, moved past any segment that starts before it and reaches it. */
    public static int firstRow(List<Segment> segments, int from) {
        int f = from;
        for (Segment s : segments) if (s.start < f && s.end >= f) f = s.end + 1;
        return f;
    }

    /** Onsets, detections and the early-detection score of one labelling of a series. */
    public static final class Match {
        public int segments;
        public int detected;
        public int onsets;
        public int falseAlarms;
        public int repeats;
        /** Per segment (in order) the detecting onset's row, or −1. */
        public int[] detectingOnset;
        public final List<Integer> delays = new ArrayList<>();
        /** Σ A_TP·σ − A_FP·false alarms − A_FN·missed. */
        public double nabRaw;
    }

    /**
     * Scores the rows where {@code firing} is set, rows {@code from..n−1}, against {@code segments} (all of them
     * starting at or after {@code from}; see {@link #firstRow}).
     */
    public static Match match(List<Segment> segments, BitSet firing, int from, int n, int lead) {
        Match m = new Match();
        m.segments = segments.size();
        m.detectingOnset = new int[segments.size()];
        java.util.Arrays.fill(m.detectingOnset, -1);
        for (int i = firing.nextSetBit(from); i >= 0 && i < n; i = firing.nextSetBit(i + 1)) {
            if (i > 0 && firing.get(i - 1)) continue; // still firing: not an onset
            m.onsets++;
            int hit = -1;
            boolean inDetected = false;
            for (int k = 0; k < segments.size(); k++) {
                Segment s = segments.get(k);
                if (i >= Math.max(from, s.start - lead) && i <= s.end) {
                    if (m.detectingOnset[k] < 0) {
                        hit = k;
                        break;
                    }
                    inDetected = true;
                }
            }
            if (hit >= 0) {
                m.detectingOnset[hit] = i;
                m.detected++;
            } else if (inDetected) {
                m.repeats++;
            } else {
                m.falseAlarms++;
            }
        }
        double raw = 0;
        for (int k = 0; k < segments.size(); k++) {
            Segment s = segments.get(k);
            int i = m.detectingOnset[k];
            if (i < 0) {
                raw -= A_FN;
                continue;
            }
            m.delays.add(i - s.start);
            int w = Math.max(from, s.start - lead);
            raw += A_TP * sigmoid(-(double) (s.end - i + 1) / (s.end - w + 1));
        }
        m.nabRaw = raw - A_FP * m.falseAlarms;
        return m;
    }

    /** Rows {@code from..n−1} outside every segment. */
    public static int pointsOutside(List<Segment> segments, int from, int n) {
        int inside = 0;
        for (Segment s : segments) inside += Math.max(0, Math.min(s.end, n - 1) - Math.max(s.start, from) + 1);
        return Math.max(0, n - from) - inside;
    }

    /** S_null of {@code windows} windows: a detector that never fires. */
    public static double nabNull(int windows) {
        return -A_FN * windows;
    }

    /** S_perfect of {@code windows} windows: each detected at its first row. */
    public static double nabPerfect(int windows) {
        return sigmoid(-1) * windows;
    }

    /** 100·(raw − null)/(perfect − null); NaN without windows. */
    public static double normalised(double raw, double nul, double perfect) {
        return perfect - nul <= 0 ? Double.NaN : 100 * (raw - nul) / (perfect - nul);
    }

    /** The median of integer values (mean of the middle two for an even count); NaN when empty. */
    public static double median(List<Integer> values) {
        if (values.isEmpty()) return Double.NaN;
        List<Integer> v = new ArrayList<>(values);
        v.sort(null);
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2.0;
    }
}
