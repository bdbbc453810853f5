package io.hawkeye.jobs.detect;

import io.hawkeye.alerts.Alert;
import io.hawkeye.alerts.AlertLifecycle;
import io.hawkeye.alerts.LifecyclePolicy;
import io.hawkeye.alerts.LifecycleState;
import io.hawkeye.jobs.StateTtl;
import io.hawkeye.stats.WindowStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Threshold rules over window statistics, keyed by series ({@code service|endpoint}, both scopes). The rules
 * are the startup set ({@link DetectionConfig#rules}, from the rules file or the shipped defaults) overlaid by
 * the broadcast state, which the compacted rules topic fills: a record adds or replaces a rule, a tombstone
 * deletes it (also a startup rule). A bad update is logged, counted ({@code invalidRuleUpdates}) and ignored; the
 * previous version of the rule stays in force. Whatever a record holds, it cannot take the operator down: every
 * failure while reading it (including a {@link StackOverflowError}) is such a bad update, and an update that would
 * put more than {@value #MAX_RULES} rules in force is rejected the same way.
 *
 * <p>Each rule is a boolean condition run through {@link AlertLifecycle} with
 * {@link LifecyclePolicy#forCondition}: it fires once after {@code for} (in consecutive windows), updates at
 * most every N windows, and resolves after the quiet period. Detector {@code rule:<name>}. Keyed state is one
 * {@link LifecycleState} per (series, rule) that is pending or firing — entries are removed as soon as they
 * are idle, so a healthy series holds no state; a TTL removes the entries of a series that stopped while
 * pending or firing. Deleting a rule resolves its firing alerts.
 */
public class RulesEvaluator extends KeyedBroadcastProcessFunction<String, WindowStats, RuleUpdate, Alert> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(RulesEvaluator.class);

    public static final MapStateDescriptor<String, RuleDefinition> RULES = new MapStateDescriptor<>("rules",
            Types.STRING, TypeInformation.of(RuleDefinition.class));

    /** The most rules in force at once (startup rules plus the topic's). */
    public static final int MAX_RULES = 1_000;

    private final DetectionConfig config;

    private transient MapState<String, LifecycleState> lifecycles;
    private transient Map<String, RuleDefinition.Compiled> compiled;
    private transient Counter invalidUpdates;

    public RulesEvaluator(DetectionConfig config) {
        this.config = config;
    }

    public static MapStateDescriptor<String, LifecycleState> lifecycleDescriptor(DetectionConfig config) {
        MapStateDescriptor<String, LifecycleState> d = new MapStateDescriptor<>("rule-lifecycles", Types.STRING,
                TypeInformation.of(LifecycleState.class));
        d.enableTimeToLive(StateTtl.of(Duration.ofMillis(config.seriesIdleTimeoutMs())));
        return d;
    }

    @Override
    public void open(OpenContext openContext) {
        lifecycles = getRuntimeContext().getMapState(lifecycleDescriptor(config));
        compiled = new HashMap<>();
        invalidUpdates = getRuntimeContext().getMetricGroup().counter("invalidRuleUpdates");
    }

    /** The rules in force: startup rules overlaid by the broadcast state (tombstones remove). */
    private List<RuleDefinition.Compiled> rules(ReadOnlyBroadcastState<String, RuleDefinition> broadcast)
            throws Exception {
        Map<String, RuleDefinition> effective = new LinkedHashMap<>();
        for (RuleDefinition d : config.rules()) effective.put(d.name, d);
        for (Map.Entry<String, RuleDefinition> e : broadcast.immutableEntries()) {
            if (e.getValue().deleted) effective.remove(e.getKey());
            else effective.put(e.getKey(), e.getValue());
        }
        List<RuleDefinition.Compiled> out = new ArrayList<>(effective.size());
        for (RuleDefinition d : effective.values()) {
            RuleDefinition.Compiled c = compiled.get(d.name);
            if (c == null || !c.definition().equals(d)) {
                c = d.compile(); // validated before it entered the config or the broadcast state
                compiled.put(d.name, c);
            }
            out.add(c);
        }
        return out;
    }

    @Override
    public void processElement(WindowStats w, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        if (w.revision > 0 || w.service == null) return; // rules judge on-time windows once
        long windowMs = w.windowEnd - w.windowStart;
        for (RuleDefinition.Compiled rule : rules(ctx.getBroadcastState(RULES))) {
            if (!rule.appliesTo(w)) continue;
            String name = rule.definition().name;
            LifecycleState s = lifecycles.get(name);
            boolean active = rule.expression().test(w);
            if (s == null) {
                if (!active) continue;
                s = new LifecycleState();
            }
            LifecyclePolicy policy = LifecyclePolicy.forCondition(rule.forWindows(windowMs),
                    config.updateEveryWindows(), config.quietWindows());
            AlertLifecycle.Action a = AlertLifecycle.step(policy, s, active ? 1 : 0, w.windowStart, w.windowEnd);
            if (a != AlertLifecycle.Action.NONE) out.collect(alert(rule, s, w, active, a));
            if (s.idle()) lifecycles.remove(name);
            else lifecycles.put(name, s);
        }
    }

    @Override
    public void processBroadcastElement(RuleUpdate u, Context ctx, Collector<Alert> out) throws Exception {
        if (u.name == null && u.definition == null) return; // RuleUpdate.NONE
        if (u.name == null || u.name.isBlank()) {
            invalidUpdates.inc();
            LOG.error("Ignoring a rules-topic record without a key (the key must be the rule name)");
            return;
        }
        BroadcastState<String, RuleDefinition> rules = ctx.getBroadcastState(RULES);
        if (u.definition == null || u.definition.isBlank()) {
            rules.put(u.name, RuleDefinition.tombstone(u.name));
            compiled.remove(u.name);
            resolveAll(u.name, ctx, out);
            LOG.info("Rule '{}' deleted", u.name);
            return;
        }
        RuleDefinition d;
        try {
            d = RuleSet.parseOne(u.name, u.definition);
        } catch (RuleException e) {
            invalidUpdates.inc();
            LOG.error("Ignoring an invalid rule update (the previous version stays in force): {}", e.getMessage());
            return;
        } catch (RuntimeException | StackOverflowError e) {
            invalidUpdates.inc();
            LOG.error("Ignoring a rule update that could not be read (the previous version stays in force): "
                    + "rule '{}': {}", RuleDefinition.abbreviate(u.name), e.getClass().getSimpleName());
            return;
        }
        if (!rules.contains(u.name) && !isStartupRule(u.name) && inForce(rules) >= MAX_RULES) {
            invalidUpdates.inc();
            LOG.error("Ignoring rule '{}': {} rules are in force already (the most allowed)", u.name, MAX_RULES);
            return;
        }
        rules.put(u.name, d);
        LOG.info("Rule '{}' updated: {}", u.name, d);
    }

    private boolean isStartupRule(String name) {
        for (RuleDefinition d : config.rules()) {
            if (d.name.equals(name)) return true;
        }
        return false;
    }

    /** Rules in force: the startup rules not deleted, plus the topic's rules that are not startup rules. */
    private int inForce(BroadcastState<String, RuleDefinition> rules) throws Exception {
        int n = 0;
        for (RuleDefinition d : config.rules()) {
            RuleDefinition overlay = rules.get(d.name);
            if (overlay == null || !overlay.deleted) n++;
        }
        for (Map.Entry<String, RuleDefinition> e : rules.immutableEntries()) {
            if (!e.getValue().deleted && !isStartupRule(e.getKey())) n++;
        }
        return n;
    }

    /** A deleted rule leaves no firing alert behind: resolve them, and drop the rule's lifecycle state. */
    private void resolveAll(String name, Context ctx, Collector<Alert> out) throws Exception {
        ctx.applyToKeyedState(lifecycleDescriptor(config), (key, state) -> {
            LifecycleState s = state.get(name);
            if (s == null) return;
            if (s.firing) {
                java.util.List<String> series = io.hawkeye.telemetry.SeriesKeys.split(key);
                Alert a = base(name, series.get(0), series.get(1), s);
                a.status = Alert.RESOLVED;
                a.endsAt = s.lastActiveEnd;
                a.windowEnd = s.lastActiveEnd;
                a.windowStart = s.lastActiveEnd;
                a.labels.put("reason", "rule-deleted");
                out.collect(a);
            }
            state.remove(name);
        });
    }

    private static Alert base(String rule, String service, String endpoint, LifecycleState s) {
        return DetectorAlerts.firing("rule:" + rule, rule, service, endpoint, "warning", s.startsAt);
    }

    private static Alert alert(RuleDefinition.Compiled rule, LifecycleState s, WindowStats w, boolean active,
            AlertLifecycle.Action action) {
        RuleDefinition d = rule.definition();
        Alert a = base(d.name, w.service, w.endpoint, s);
        a.severity = d.severity;
        a.windowStart = w.windowStart;
        a.windowEnd = w.windowEnd;
        a.score = active ? 1 : 0;
        a.labels.putAll(d.labels);
        a.labels.put("scope", d.scope);
        a.labels.put("expr", d.expr);
        a.modelVersion = "rule:" + Integer.toHexString(d.hashCode());
        // value: the first field the rule reads; a simple "field op number" rule also gives its threshold as
        // the band edge it crossed.
        List<String> fields = rule.expression().fields();
        if (!fields.isEmpty()) {
            a.value = rule.expression().field(fields.get(0), w);
            a.labels.put("field", fields.get(0));
        }
        var t = rule.expression().threshold();
        if (t != null) {
            if (t.op().startsWith(">")) a.upper = t.value();
            else if (t.op().startsWith("<")) a.lower = t.value();
        }
        if (action == AlertLifecycle.Action.RESOLVE) {
            a.status = Alert.RESOLVED;
            a.endsAt = s.lastActiveEnd;
        }
        return a;
    }
}
