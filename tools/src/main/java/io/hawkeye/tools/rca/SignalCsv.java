package io.hawkeye.tools.rca;

import io.hawkeye.tools.UserError;
import io.hawkeye.rca.SignalData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Reads long-format metric CSV {@code timestamp,service,signal,value} (columns found by header name, in any
 * order). Timestamps: epoch seconds (fractions allowed; values above 10¹¹ are taken as epoch milliseconds) or
 * RFC 3339. An empty value, {@code NaN} or {@code null} is a missing value. Malformed rows are skipped and
 * counted, never fatal.
 */
public final class SignalCsv {
    private SignalCsv() {}

    /** The data and the number of rows skipped as malformed. */
    public record Result(SignalData data, long rows, long skipped) {}

    public static Result read(Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = r.readLine();
            if (headerLine == null) throw new UserError(file + " is empty");
            List<String> header = CsvLine.split(headerLine.replace("\uFEFF", ""));
            int ts = GraphFiles.indexOf(header, "timestamp"), svc = GraphFiles.indexOf(header, "service"),
                    sig = GraphFiles.indexOf(header, "signal"), val = GraphFiles.indexOf(header, "value");
            if (ts < 0 || svc < 0 || sig < 0 || val < 0) {
                throw new UserError(file + ": need header timestamp,service,signal,value; got "
                        + header);
            }
            SignalData data = new SignalData();
            long rows = 0, skipped = 0;
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                rows++;
                List<String> f = CsvLine.split(line);
                if (f.size() <= Math.max(ts, Math.max(svc, sig))) {
                    skipped++;
                    continue;
                }
                long t = parseTime(f.get(ts).strip());
                String service = f.get(svc).strip(), signal = f.get(sig).strip();
                if (t == Long.MIN_VALUE || service.isEmpty() || signal.isEmpty()) {
                    skipped++;
                    continue;
                }
                double v = parseValue(val < f.size() ? f.get(val).strip() : "");
                if (v == BAD) {
                    skipped++;
                    continue;
                }
                data.add(t, service, signal, v);
            }
            return new Result(data, rows, skipped);
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

    /** Epoch ms, or Long.MIN_VALUE when unparseable. */
    static long parseTime(String s) {
        if (s.isEmpty()) return Long.MIN_VALUE;
        try {
            double d = Double.parseDouble(s);
            if (!Double.isFinite(d)) return Long.MIN_VALUE;
            return Math.abs(d) > 1e11 ? Math.round(d) : Math.round(d * 1000);
        } catch (NumberFormatException notNumeric) {
            try {
                return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    return Instant.parse(s).toEpochMilli();
                } catch (DateTimeParseException e2) {
                    return Long.MIN_VALUE;
                }
            }
        }
    }
}
