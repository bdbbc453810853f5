package io.hawkeye.jobs.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a Flink SQL script into statements and substitutes {@code ${VAR}} / {@code ${VAR:-default}} variables.
 *
 * <p>Statements end at {@code ;} outside single-quoted strings ({@code ''} escapes a quote), double-quoted and
 * back-quoted identifiers, {@code --} line comments and block comments. {@code EXECUTE STATEMENT SET BEGIN ... END;}
 * is kept as one statement. Comments are removed from the statements returned.
 */
public final class SqlScript {
    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

    private SqlScript() {}

    /** Replaces variables; a variable without a value and without a default is an error naming it. */
    public static String substitute(String script, Map<String, String> vars) {
        Matcher m = VAR.matcher(script);
        StringBuilder out = new StringBuilder();
        List<String> missing = new ArrayList<>();
        while (m.find()) {
            String value = vars.get(m.group(1));
            if (value == null) value = m.group(3);
            if (value == null) {
                missing.add(m.group(1));
                value = m.group();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("undefined variables " + missing
                    + ": pass --define NAME=VALUE or set them in the environment");
        }
        return out.toString();
    }

    public static List<String> split(String script) {
        List<String> raw = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        int n = script.length();
        for (int i = 0; i < n; i++) {
            char c = script.charAt(i);
            char next = i + 1 < n ? script.charAt(i + 1) : 0;
            if (c == '-' && next == '-') {
                while (i < n && script.charAt(i) != '\n') i++;
                cur.append('\n');
            } else if (c == '/' && next == '*') {
                int end = script.indexOf("*/", i + 2);
                if (end < 0) throw new IllegalArgumentException("unterminated /* comment");
                i = end + 1;
                cur.append(' ');
            } else if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (true) {
                    if (j >= n) throw new IllegalArgumentException("unterminated " + c + " quote");
                    if (script.charAt(j) == c) {
                        if (j + 1 < n && script.charAt(j + 1) == c) {
                            j += 2; // doubled quote: escaped
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                cur.append(script, i, j + 1);
                i = j;
            } else if (c == ';') {
                raw.add(cur.toString().trim());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        raw.add(cur.toString().trim());
        List<String> statements = new ArrayList<>();
        StringBuilder set = null;
        for (String s : raw) {
            if (s.isEmpty()) continue;
            String norm = s.replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
            if (set == null && (norm.startsWith("EXECUTE STATEMENT SET") || norm.startsWith("BEGIN STATEMENT SET"))) {
                set = new StringBuilder(s).append(";\n");
                if (norm.endsWith(" END")) { // whole set on one "statement" (no inner ';')
                    statements.add(set.toString().replaceAll(";\\s*$", ""));
                    set = null;
                }
            } else if (set != null) {
                if (norm.equals("END")) {
                    statements.add(set.append("END").toString());
                    set = null;
                } else {
                    set.append(s).append(";\n");
                }
            } else {
                statements.add(s);
            }
        }
        if (set != null) throw new IllegalArgumentException("EXECUTE STATEMENT SET without END");
        return statements;
    }
}
