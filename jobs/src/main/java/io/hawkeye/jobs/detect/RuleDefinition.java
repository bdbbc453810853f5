package io.hawkeye.jobs.detect;

import io.hawkeye.stats.WindowStats;
import java.io.Serializable;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * One threshold rule as written by an operator (see docs/detection.md): a Flink POJO kept in broadcast state
 * and in {@link DetectionConfig}. {@code deleted} marks a tombstone from the rules topic (it hides a rule of the
 * startup file of the same name). {@link #compile()} validates it.
 *
 * <p>Rules come from a topic anyone with write access can fill, so everything about them is bounded: the name
 * ({@value #MAX_NAME} characters), the expression ({@link RuleExpression#MAX_LENGTH} characters, nesting and
 * size), the service pattern ({@value #MAX_PATTERN} characters, matched by RE2/J in time linear in the service
 * name: no catastrophic backtracking), and the labels ({@value #MAX_LABELS}, keys {@code [A-Za-z_][A-Za-z0-9_]*}
 * of at most {@value #MAX_LABEL_KEY} characters — they become Elasticsearch field names — values at most
 * {@value #MAX_LABEL_VALUE}).
 */
public class RuleDefinition implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String SCOPE_ENDPOINT = WindowStats.SCOPE_ENDPOINT;
    public static final String SCOPE_SERVICE = WindowStats.SCOPE_SERVICE;

    public static final int MAX_NAME = 128;
    public static final int MAX_PATTERN = 256;
    public static final int MAX_LABELS = 16;
    public static final int MAX_LABEL_KEY = 64;
    public static final int MAX_LABEL_VALUE = 256;

    public String name;
    public String expr;
    /** The condition must hold this long (consecutive windows covering it) before the alert fires; 0 = at once. */
    public long forMs;
    public String severity = "warning";
    public Map<String, String> labels = new TreeMap<>();
    /** "endpoint" (per service and endpoint) or "service" (the service rollup). */
    public String scope = SCOPE_ENDPOINT;
    /** Optional regular expression the whole service name must match; null = every service. */
    public String service;
    public boolean deleted;

    public RuleDefinition() {}

    public static RuleDefinition tombstone(String name) {
        RuleDefinition d = new RuleDefinition();
        d.name = name;
        d.deleted = true;
        return d;
    }

    /** Checks the rule and compiles its expression; {@link RuleException} names the rule and the problem. */
    public Compiled compile() {
        if (name == null || name.length() > MAX_NAME || !name.matches("[A-Za-z][A-Za-z0-9_.:-]*")) {
            throw new RuleException("rule '" + abbreviate(name) + "': name must start with a letter, contain only "
                    + "letters, digits, '_', '.', ':' or '-', and have at most " + MAX_NAME + " characters");
        }
        if (labels != null) {
            if (labels.size() > MAX_LABELS) {
                throw new RuleException("rule '" + name + "': at most " + MAX_LABELS + " labels, got " + labels.size());
            }
            for (Map.Entry<String, String> l : labels.entrySet()) {
                String k = l.getKey();
                if (k == null || k.length() > MAX_LABEL_KEY || !k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw new RuleException("rule '" + name + "': label key '" + abbreviate(k) + "' must match "
                            + "[A-Za-z_][A-Za-z0-9_]* with at most " + MAX_LABEL_KEY + " characters");
                }
                if (l.getValue() != null && l.getValue().length() > MAX_LABEL_VALUE) {
                    throw new RuleException("rule '" + name + "': label '" + k + "' is longer than "
                            + MAX_LABEL_VALUE + " characters");
                }
            }
        }
        if (!SCOPE_ENDPOINT.equals(scope) && !SCOPE_SERVICE.equals(scope)) {
            throw new RuleException("rule '" + name + "': scope must be 'endpoint' or 'service', got '" + scope + "'");
        }
        if (severity == null || !severity.matches("critical|warning|info")) {
            throw new RuleException("rule '" + name + "': severity must be critical, warning or info, got '"
                    + severity + "'");
        }
        if (forMs < 0) throw new RuleException("rule '" + name + "': 'for' must not be negative");
        RuleExpression e;
        try {
            e = RuleExpression.parse(expr);
        } catch (IllegalArgumentException ex) {
            throw new RuleException("rule '" + name + "': expr: " + ex.getMessage(), ex);
        }
        Pattern p = null;
        if (service != null) {
            if (service.length() > MAX_PATTERN) {
                throw new RuleException("rule '" + name + "': service: the pattern is longer than " + MAX_PATTERN
                        + " characters");
            }
            try {
                p = Pattern.compile(service);
            } catch (PatternSyntaxException ex) {
                throw new RuleException("rule '" + name + "': service: not a regular expression: "
                        + ex.getDescription() + " in '" + service + "'", ex);
            }
        }
        return new Compiled(this, e, p);
    }

    /** A validated rule, ready to evaluate. */
    public record Compiled(RuleDefinition definition, RuleExpression expression, Pattern service) {
        public boolean appliesTo(WindowStats w) {
            String scope = w.scope == null ? SCOPE_ENDPOINT : w.scope;
            return definition.scope.equals(scope) && (service == null || service.matcher(w.service).matches());
        }

        /** {@code for} in windows of the given size: at least 1 (Prometheus: "for: 2m" over 1-minute windows = 2). */
        public int forWindows(long windowMs) {
            if (windowMs <= 0) return 1;
            return (int) Math.max(1, Math.min(100_000, (definition.forMs + windowMs - 1) / windowMs));
        }
    }

    /** At most 64 characters of an operator-supplied string, for error messages. */
    static String abbreviate(String s) {
        return s == null || s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuleDefinition d && forMs == d.forMs && deleted == d.deleted
                && Objects.equals(name, d.name) && Objects.equals(expr, d.expr)
                && Objects.equals(severity, d.severity) && Objects.equals(labels, d.labels)
                && Objects.equals(scope, d.scope) && Objects.equals(service, d.service);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, expr, forMs, severity, labels, scope, service, deleted);
    }

    @Override
    public String toString() {
        return deleted ? "RuleDefinition{" + name + " deleted}"
                : "RuleDefinition{" + name + ": " + expr + " for " + forMs + " ms, " + severity + ", " + scope + "}";
    }
}
