package io.hawkeye.tools.detect;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.hawkeye.tools.UserError;
import java.time.format.DateTimeParseException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Event-level scoring of backtest output against a simulator's ground truth ({@code ./hawkeye simulate
 * --ground-truth FILE}: one JSON object per fault with {@code fault}, {@code service}, {@code start}, {@code end},
 * {@code affected}).
 *
 * <ul>
 *   <li>Each backtest file (or each value of its {@code series} column) is one service: the file's name without
 *       {@code .csv} — or the directory directly below the input it lies in — or the series value.</li>
 *   <li>An <em>alert event</em> is a maximal run of consecutive rows of one service with {@code label} 1.</li>
 *   <li>A fault is <em>detected</em> if an alert event of a service in its {@code affected} list (the faulty
 *       service and its transitive callers; for a traffic drop the entry service and its transitive callees)
 *       has a labelled row in [start, end + grace].</li>
 *   <li><em>Detection delay</em> in windows: of the first such row, ⌈(row time − start) / step⌉ (at least 0); 0
 *       means the window in which the fault began was labelled — the alert was raised at that window's end.</li>
 *   <li>An alert event is a <em>true positive</em> of a fault type if it overlaps [start − grace, end + grace] of a
 *       fault of that type whose {@code affected} list holds its service; otherwise it is a <em>false alert</em>
 *       (this includes alerts on services off the fault's path during a fault).</li>
 *   <li>Per fault type: recall = detected / faults; precision = true-positive events / (true-positive events +
 *       all false alerts), i.e. every false alert counts against every type; F1 from the two.</li>
 *   <li>False alerts starting in the first {@link #WARM_UP_MS} of the data (the detectors' warm-up) are reported
 *       apart and not counted.</li>
 * </ul>
 *
 * <p>Grace = {@link #GRACE_WINDOWS} windows of the file's step (its median row spacing).
 */
public final class FaultScores {
    /** Grace after a fault's end (and before its start, for overlaps), in windows. */
    public static final int GRACE_WINDOWS = 3;
    /**
     * Probation period from the first row (as NAB's): the seasonal detector learns its daily profile in the first
     * two days, so false alerts that start in them are reported separately and do not count against precision or
     * the false-alert rate. Faults should be scheduled after it.
     */
    public static final long WARM_UP_MS = 2 * 86_400_000L;

    /** One labelled fault. */
    public record Fault(String type, String service, long start, long end, Set<String> affected) {}

    private record Event(String service, long start, long end) {}

    private final List<Fault> faults;
    private final long warmUpMs;
    private final List<Event> events = new ArrayList<>();
    /** Per fault (index): earliest labelled row inside [start, end + grace], or Long.MAX_VALUE. */
    private final long[] firstHit;
    private final long[] stepOfHit;
    private final Set<String> services = new TreeSet<>();
    private long stepMs;
    private long minTs = Long.MAX_VALUE;
    private long maxTs = Long.MIN_VALUE;

    public FaultScores(List<Fault> faults) {
        this(faults, WARM_UP_MS);
    }

    /** With another probation period ({@code warmUpMs} from the first row). */
    public FaultScores(List<Fault> faults, long warmUpMs) {
        this.warmUpMs = warmUpMs;
        this.faults = List.copyOf(faults);
        this.firstHit = new long[faults.size()];
        this.stepOfHit = new long[faults.size()];
        Arrays.fill(firstHit, Long.MAX_VALUE);
    }

    /** Reads a ground-truth JSON-lines file. */
    public static List<Fault> load(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<Fault> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            lineNo++;
            if (line.isBlank()) continue;
            try {
                JsonNode n = json.readTree(line);
                Set<String> affected = new HashSet<>();
                n.path("affected").forEach(a -> affected.add(a.asText()));
                String service = n.path("service").asText();
                affected.add(service);
                out.add(new Fault(n.path("fault").asText(), service,
                        Instant.parse(n.path("start").asText()).toEpochMilli(),
                        Instant.parse(n.path("end").asText()).toEpochMilli(), affected));
            } catch (JsonProcessingException | DateTimeParseException e) {
                throw new UserError(file + ": line " + lineNo + ": not a ground-truth record (simulate "
                        + "--ground-truth writes them)", e);
            }
        }
        return out;
    }

    /**
     * The service of a backtest file, given its path relative to the input directory: {@code <service>.csv}, or
     * any file below a directory {@code <service>/} (e.g. {@code simulate-windows --endpoints}'s endpoint series).
     */
    public static String serviceOf(Path file) {
        if (file.getNameCount() > 1) return file.getName(0).toString();
        String name = file.getFileName().toString();
        return name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
    }

    /** Adds one file's outcome; rows of a {@code series} column count as that service, otherwise {@code service}. */
    public synchronized void add(String service, Backtest.Outcome o) {
        Map<String, List<Integer>> rowsBySeries = new LinkedHashMap<>();
        for (int i = 0; i < o.rows; i++) {
            if (o.timestamps.get(i) == Long.MIN_VALUE) continue;
            rowsBySeries.computeIfAbsent(o.series.get(i), k -> new ArrayList<>()).add(i);
        }
        for (Map.Entry<String, List<Integer>> e : rowsBySeries.entrySet()) {
            String svc = e.getKey().isEmpty() ? service : e.getKey();
            addSeries(svc, e.getValue(), o);
        }
    }

    private void addSeries(String service, List<Integer> rows, Backtest.Outcome o) {
        services.add(service);
        long step = medianStep(rows, o);
        if (step <= 0) return;
        stepMs = stepMs == 0 ? step : Math.min(stepMs, step);
        long grace = GRACE_WINDOWS * step;
        long runStart = Long.MIN_VALUE;
        long last = Long.MIN_VALUE;
        for (int i : rows) {
            long ts = o.timestamps.get(i);
            minTs = Math.min(minTs, ts);
            maxTs = Math.max(maxTs, ts + step);
            boolean p = o.predicted.get(i);
            if (p && runStart == Long.MIN_VALUE) runStart = ts;
            if (!p && runStart != Long.MIN_VALUE) {
                events.add(new Event(service, runStart, last + step));
                runStart = Long.MIN_VALUE;
            }
            if (p) {
                for (int f = 0; f < faults.size(); f++) {
                    Fault fault = faults.get(f);
                    if (fault.affected().contains(service) && ts + step > fault.start() && ts <= fault.end() + grace
                            && ts < firstHit[f]) {
                        firstHit[f] = ts;
                        stepOfHit[f] = step;
                    }
                }
            }
            last = ts;
        }
        if (runStart != Long.MIN_VALUE) events.add(new Event(service, runStart, last + step));
    }

    private static long medianStep(List<Integer> rows, Backtest.Outcome o) {
        List<Long> d = new ArrayList<>();
        for (int i = 1; i < rows.size(); i++) {
            long diff = o.timestamps.get(rows.get(i)) - o.timestamps.get(rows.get(i - 1));
            if (diff > 0) d.add(diff);
        }
        if (d.isEmpty()) return 0;
        d.sort(null);
        return d.get(d.size() / 2);
    }

    /** "2-day" for whole days, else the duration, e.g. "36h". */
    private String describeWarmUp() {
        if (warmUpMs % 86_400_000L == 0) return (warmUpMs / 86_400_000L) + "-day";
        return java.time.Duration.ofMillis(warmUpMs).toString().substring(2).toLowerCase(Locale.ROOT);
    }

    /** Per fault type: faults, detected, recall, precision, F1, detection delays; then the false alerts. */
    public synchronized String report() {
        long grace = GRACE_WINDOWS * Math.max(stepMs, 1);
        int falseAlerts = 0;
        int warmUpAlerts = 0;
        Map<String, Integer> tpByType = new LinkedHashMap<>();
        for (Fault f : faults) tpByType.putIfAbsent(f.type(), 0);
        Map<String, Integer> falseByService = new LinkedHashMap<>();
        for (Event e : events) {
            Set<String> types = new HashSet<>();
            for (Fault f : faults) {
                if (f.affected().contains(e.service()) && e.end() > f.start() - grace && e.start() < f.end() + grace) {
                    types.add(f.type());
                }
            }
            if (types.isEmpty() && e.start() < minTs + warmUpMs) {
                warmUpAlerts++;
            } else if (types.isEmpty()) {
                falseAlerts++;
                falseByService.merge(e.service(), 1, Integer::sum);
            }
            for (String t : types) tpByType.merge(t, 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, Integer> t : tpByType.entrySet()) {
            int n = 0;
            int detected = 0;
            List<Long> delays = new ArrayList<>();
            for (int i = 0; i < faults.size(); i++) {
                Fault f = faults.get(i);
                if (!f.type().equals(t.getKey())) continue;
                n++;
                if (firstHit[i] == Long.MAX_VALUE) continue;
                detected++;
                long step = stepOfHit[i];
                delays.add(Math.max(0, Math.floorDiv(firstHit[i] - f.start() + step - 1, step)));
            }
            double recall = n == 0 ? 0 : (double) detected / n;
            int tp = t.getValue();
            double precision = tp + falseAlerts == 0 ? 0 : (double) tp / (tp + falseAlerts);
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            delays.sort(null);
            b.append(String.format(Locale.ROOT,
                    "fault %s: %d/%d detected, recall %.3f, precision %.3f (%d true alert events), F1 %.3f, "
                            + "detection delay (windows) median %s, max %s, all %s%n",
                    t.getKey(), detected, n, recall, precision, tp, f1,
                    delays.isEmpty() ? "-" : delays.get((delays.size() - 1) / 2),
                    delays.isEmpty() ? "-" : delays.get(delays.size() - 1), delays));
        }
        double days = maxTs > minTs + warmUpMs ? (maxTs - minTs - warmUpMs) / 86_400_000.0 : 0;
        double perServiceDay = days == 0 || services.isEmpty() ? 0 : falseAlerts / (services.size() * days);
        b.append(String.format(Locale.ROOT,
                "false alerts after the %s warm-up: %d over %d services x %.2f days = %.3f per service per day; "
                        + "by service %s; during the warm-up: %d%n",
                describeWarmUp(), falseAlerts, services.size(), days, perServiceDay, falseByService, warmUpAlerts));
        return b.toString();
    }
}
