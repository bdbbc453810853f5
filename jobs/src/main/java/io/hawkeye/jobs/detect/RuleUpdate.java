package io.hawkeye.jobs.detect;

import io.hawkeye.json.ValueRecord;

/**
 * One record of the compacted rules topic: key = rule name, value = the rule as YAML or JSON (one mapping with
 * the same keys as an entry of the rules file), or null — a tombstone that deletes the rule. Parsed by
 * {@link RulesEvaluator} on the broadcast side, so a bad update is rejected (and counted) without failing the
 * job. A Flink POJO.
 */
public class RuleUpdate extends ValueRecord {
    public String name;
    /** YAML/JSON of one rule; null deletes the rule. */
    public String definition;

    /** No name, no value: ignored (the stand-in stream when runtime updates are off carries just this). */
    public static final RuleUpdate NONE = new RuleUpdate(null, null);

    public RuleUpdate() {}

    public RuleUpdate(String name, String definition) {
        this.name = name;
        this.definition = definition;
    }

    @Override
    public String toString() {
        return "RuleUpdate{" + name + (definition == null ? " (delete)" : "") + "}";
    }
}
