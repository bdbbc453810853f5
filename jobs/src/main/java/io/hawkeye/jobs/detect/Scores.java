package io.hawkeye.jobs.detect;

import java.util.List;

/**
 * Precision, recall and F1, point-wise and event-wise. An event is a maximal run of consecutive positive rows;
 * a true event counts as detected when any row inside it is predicted; a predicted event is a true positive
 * when it overlaps a true event.
 */
public record Scores(long tp, long fp, long fn, long trueEvents, long detectedEvents, long predictedEvents,
        long predictedEventsOverlapping) {

    public static Scores of(List<Boolean> predicted, List<Boolean> truth) {
        long tp = 0, fp = 0, fn = 0;
        int n = Math.min(predicted.size(), truth.size());
        for (int i = 0; i < n; i++) {
            boolean p = predicted.get(i), t = truth.get(i);
            if (p && t) tp++;
            else if (p) fp++;
            else if (t) fn++;
        }
        long[] e1 = events(truth, predicted, n);
        long[] e2 = events(predicted, truth, n);
        return new Scores(tp, fp, fn, e1[0], e1[1], e2[0], e2[1]);
    }

    /** {events in a, events in a that contain a positive of b}. */
    private static long[] events(List<Boolean> a, List<Boolean> b, int n) {
        long events = 0, hit = 0;
        boolean in = false, found = false;
        for (int i = 0; i <= n; i++) {
            boolean v = i < n && a.get(i);
            if (v && !in) {
                in = true;
                found = false;
                events++;
            }
            if (v && b.get(i)) found = true;
            if (!v && in) {
                in = false;
                if (found) hit++;
            }
        }
        return new long[] {events, hit};
    }

    public Scores plus(Scores o) {
        return new Scores(tp + o.tp, fp + o.fp, fn + o.fn, trueEvents + o.trueEvents,
                detectedEvents + o.detectedEvents, predictedEvents + o.predictedEvents,
                predictedEventsOverlapping + o.predictedEventsOverlapping);
    }

    public double precision() {
        return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    public double recall() {
        return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    public double f1() {
        double p = precision(), r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public double eventPrecision() {
        return predictedEvents == 0 ? 0 : (double) predictedEventsOverlapping / predictedEvents;
    }

    public double eventRecall() {
        return trueEvents == 0 ? 0 : (double) detectedEvents / trueEvents;
    }

    public double eventF1() {
        double p = eventPrecision(), r = eventRecall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "point-wise: precision %.3f recall %.3f F1 %.3f (tp %d fp %d fn %d); "
                        + "event-wise: precision %.3f recall %.3f F1 %.3f (%d/%d events detected, %d/%d alerts "
                        + "on a true event)",
                precision(), recall(), f1(), tp, fp, fn, eventPrecision(), eventRecall(), eventF1(), detectedEvents,
                trueEvents, predictedEventsOverlapping, predictedEvents);
    }
}
