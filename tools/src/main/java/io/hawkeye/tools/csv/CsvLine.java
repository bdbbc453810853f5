package io.hawkeye.tools.csv;

import java.util.ArrayList;
import java.util.List;

/** Minimal RFC 4180 line splitting and quoting (no embedded newlines), for the commands that read and write CSV. */
public final class CsvLine {
    private CsvLine() {}

    /** The fields of one CSV line (RFC 4180 quotes; no multi-line fields). */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }

    /** A field of a line split at its commas: trimmed, and without the quotes around it. */
    public static String unquote(String field) {
        String t = field.trim();
        if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) t = t.substring(1, t.length() - 1);
        return t.trim();
    }

    /** {@code s} as a CSV field: quoted when it holds a comma, a quote or a newline. */
    public static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
