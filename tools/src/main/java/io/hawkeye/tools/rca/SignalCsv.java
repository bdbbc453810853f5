package io.hawkeye.tools.rca;

import io.hawkeye.rca.EdgeData;
import io.hawkeye.rca.SignalData;
import io.hawkeye.tools.UserError;
import io.hawkeye.tools.csv.CsvLine;
import io.hawkeye.tools.csv.Timestamps;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Reads long-format metric CSV {@code timestamp,service,signal,value}, and per-edge CSV
 * {@code timestamp,caller,callee,signal,value} (columns found by header name, in any order). Timestamps as {@link Timestamps} reads them: epoch seconds
 * (fractions allowed; values above 10¹¹ are taken as epoch milliseconds), RFC 3339 or a UTC date-time. An empty value, {@code NaN} or {@code null} is a missing value. Malformed rows are skipped and
 * counted, never fatal.
 */
public final class SignalCsv {
    private SignalCsv() {}

    /** The data and the number of rows skipped as malformed. */
    public record Result(SignalData data, long rows, long skipped) {}

    /** Per-edge data ({@code timestamp,caller,callee,signal,value}) and the number of rows skipped. */
    public record EdgeResult(EdgeData data, long rows, long skipped) {}

    public static Result read(Path file) {
        SignalData data = new SignalData();
        long[] counts = read(file, List.of("service"), (t, keys, signal, v) -> data.add(t, keys[0], signal, v));
        return new Result(data, counts[0], counts[1]);
    }

    /** Reads a per-edge file, long format {@code timestamp,caller,callee,signal,value} (docs/rca.md). */
    public static EdgeResult readEdges(Path file) {
        EdgeData data = new EdgeData();
        long[] counts = read(file, List.of("caller", "callee"),
                (t, keys, signal, v) -> data.add(t, keys[0], keys[1], signal, v));
        return new EdgeResult(data, counts[0], counts[1]);
    }

    private interface Row {
        void accept(long tsMillis, String[] keys, String signal, double value);
    }

    /** {@code {rows, skipped}}. */
    private static long[] read(Path file, List<String> keyColumns, Row sink) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = r.readLine();
            if (headerLine == null) throw new UserError(file + " is empty");
            List<String> header = CsvLine.split(headerLine.replace("\uFEFF", ""));
            int ts = GraphFiles.indexOf(header, "timestamp"), sig = GraphFiles.indexOf(header, "signal"),
                    val = GraphFiles.indexOf(header, "value");
            int[] key = new int[keyColumns.size()];
            boolean missing = ts < 0 || sig < 0 || val < 0;
            int last = Math.max(ts, sig);
            for (int k = 0; k < key.length; k++) {
                key[k] = GraphFiles.indexOf(header, keyColumns.get(k));
                missing |= key[k] < 0;
                last = Math.max(last, key[k]);
            }
            if (missing) {
                throw new UserError(file + ": need header timestamp," + String.join(",", keyColumns)
                        + ",signal,value; got " + header);
            }
            long rows = 0, skipped = 0;
            String line;
            String[] keys = new String[key.length];
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                rows++;
                List<String> f = CsvLine.split(line);
                if (f.size() <= last) {
                    skipped++;
                    continue;
                }
                long t = Timestamps.epochMillis(f.get(ts));
                String signal = f.get(sig).strip();
                boolean blankKey = false;
                for (int k = 0; k < key.length; k++) {
                    keys[k] = f.get(key[k]).strip();
                    blankKey |= keys[k].isEmpty();
                }
                double v = parseValue(val < f.size() ? f.get(val).strip() : "");
                if (t == Timestamps.NONE || blankKey || signal.isEmpty() || v == BAD) {
                    skipped++;
                    continue;
                }
                sink.accept(t, keys, signal, v);
            }
            return new long[] {rows, skipped};
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static final double BAD = -Double.MAX_VALUE;

    static double parseValue(String s) {
        if (s.isEmpty()) return Double.NaN;
        String l = s.toLowerCase(Locale.ROOT);
        if (l.equals("nan") || l.equals("null") || l.equals("na") || l.equals("none")) return Double.NaN;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return BAD;
        }
    }
}
