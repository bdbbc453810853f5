package io.hawkeye.jobs.detect;

import io.hawkeye.config.Durations;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads and validates threshold rules (format in docs/detection.md): a YAML list of rules, or a mapping with a
 * {@code rules:} list. Every rule is compiled here, so a bad file fails at startup with a {@link RuleException}
 * naming the rule and the problem; unknown keys are errors (a misspelt {@code fro:} must not silently mean
 * "fire at once").
 */
public final class RuleSet {
    /** The shipped defaults, a copy of deploy/rules/default-rules.yaml (a test keeps them equal). */
    public static final String DEFAULTS_RESOURCE = "/io/hawkeye/jobs/detect/default-rules.yaml";
    private static final Set<String> KEYS = Set.of("name", "alert", "expr", "for", "severity", "labels", "scope",
            "service");
    private static final YAMLMapper YAML = new YAMLMapper();

    private RuleSet() {}

    public static List<RuleDefinition> defaults() {
        try (InputStream in = RuleSet.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + DEFAULTS_RESOURCE);
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default rules");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<RuleDefinition> load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new RuleException("cannot read rules file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /** Parses a rules document; {@code source} names it in error messages. */
    public static List<RuleDefinition> parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            throw new RuleException(source + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) return new ArrayList<>();
        JsonNode list = root.isObject() && root.has("rules") ? root.get("rules") : root;
        if (root.isObject() && root.size() != 1 && root.has("rules")) {
            throw new RuleException(source + ": only the key 'rules' is allowed at the top level");
        }
        if (!list.isArray()) throw new RuleException(source + ": expected a list of rules (or 'rules:' with a list)");
        if (list.size() > RulesEvaluator.MAX_RULES) {
            throw new RuleException(source + ": " + list.size() + " rules, more than the " + RulesEvaluator.MAX_RULES
                    + " allowed");
        }
        List<RuleDefinition> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode n : list) {
            i++;
            RuleDefinition d = rule(n, source + ": rule #" + i);
            if (!names.add(d.name)) throw new RuleException(source + ": rule '" + d.name + "' is defined twice");
            out.add(d);
        }
        return out;
    }

    /**
     * Parses one rule from the rules topic. The name comes from the record key; a {@code name} in the value must
     * agree with it.
     */
    public static RuleDefinition parseOne(String key, String text) {
        JsonNode n;
        try {
            n = YAML.readTree(text);
        } catch (IOException e) {
            throw new RuleException("rule '" + key + "': not valid YAML/JSON: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (n == null || !n.isObject()) throw new RuleException("rule '" + key + "': expected a mapping");
        String inValue = n.has("name") ? n.get("name").asText() : n.has("alert") ? n.get("alert").asText() : null;
        if (inValue != null && !inValue.equals(key)) {
            throw new RuleException("rule '" + key + "': the value names a different rule '" + inValue + "'");
        }
        if (inValue == null) ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("name", key);
        return rule(n, "rule '" + key + "'");
    }

    private static RuleDefinition rule(JsonNode n, String where) {
        if (!n.isObject()) throw new RuleException(where + ": expected a mapping");
        JsonNode nameNode = n.has("name") ? n.get("name") : n.get("alert");
        String name = nameNode == null || nameNode.isNull() ? null : nameNode.asText();
        String who = name == null ? where : "rule '" + name + "'";
        if (name == null) throw new RuleException(where + ": 'name' is missing");
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!KEYS.contains(k)) {
                throw new RuleException(who + ": unknown key '" + k + "' (allowed: name, expr, for, severity, "
                        + "labels, scope, service)");
            }
        }
        RuleDefinition d = new RuleDefinition();
        d.name = name;
        if (!n.hasNonNull("expr")) throw new RuleException(who + ": 'expr' is missing");
        d.expr = n.get("expr").asText();
        if (n.hasNonNull("for")) {
            try {
                d.forMs = durationMs(n.get("for").asText());
            } catch (IllegalArgumentException e) {
                throw new RuleException(who + ": for: " + e.getMessage(), e);
            }
        }
        if (n.hasNonNull("severity")) d.severity = n.get("severity").asText();
        if (n.hasNonNull("scope")) d.scope = n.get("scope").asText();
        if (n.hasNonNull("service")) d.service = n.get("service").asText();
        if (n.hasNonNull("labels")) {
            JsonNode l = n.get("labels");
            if (!l.isObject()) throw new RuleException(who + ": labels must be a mapping of names to values");
            for (Iterator<Map.Entry<String, JsonNode>> it = l.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isContainerNode()) {
                    throw new RuleException(who + ": label '" + e.getKey() + "' must be a plain value");
                }
                d.labels.put(e.getKey(), e.getValue().asText());
            }
        }
        d.compile();
        return d;
    }

    /** A duration in the syntax of {@link Durations}: {@code 90s}, {@code 2m}, {@code 1h30m}, {@code 500ms}, {@code 0}. */
    public static long durationMs(String text) {
        return Durations.parse(text).toMillis();
    }
}
