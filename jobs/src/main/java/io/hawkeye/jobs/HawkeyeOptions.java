package io.hawkeye.jobs;

import io.hawkeye.config.Durations;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.IllegalConfigurationException;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.ParameterTool;

/**
 * Every option of the Hawkeye job, declared once: name, type, default and description. The README's
 * configuration table is generated from this class ({@code ./hawkeye options}), and a test checks that they
 * agree. Options are passed as {@code --key value} to {@code flink run} or as {@code --conf key=value} to
 * {@code ./hawkeye run}; both go through {@link #configuration(Map)}, which rejects misspelt keys, unknown
 * capabilities and bad values up front and reads durations in the syntax of {@link Durations} ({@code 500ms},
 * {@code 10s}, {@code 1min}, {@code 2h30m}, {@code 1d}, {@code PT2H}). Secrets are never options: they come from
 * the environment (see {@link Secrets}).
 *
 * <p>Cluster concerns (checkpoint interval and mode, state backend, restart strategy, max parallelism) are
 * Flink configuration; the job only supplies defaults for the ones the cluster's config.yaml leaves unset.
 */
public final class HawkeyeOptions {
    private HawkeyeOptions() {}

    // --- What the job computes ---
    public static final ConfigOption<String> CAPABILITIES = ConfigOptions.key("capabilities")
            .stringType().defaultValue("window-stats,detection,scaling,correlation")
            .withDescription("Comma-separated capabilities this job runs on top of the window statistics "
                    + "(always on): detection (seasonal anomaly detection and threshold rules, alerts), scaling "
                    + "(forecasts and scaling actions), correlation (incidents from alerts over the dependency graph; "
                    + "needs detection), call-edges (per-edge client, server and gap latency from client spans paired "
                    + "with the callee's spans; keeps every span with a parent_id for one window: turn it on when "
                    + "your services send client spans). Run one capability per job or chain them all in one.");

    // --- Kafka ---
    public static final ConfigOption<String> KAFKA_BOOTSTRAP = ConfigOptions.key("kafka.bootstrap-servers")
            .stringType().noDefaultValue()
            .withDescription("Kafka bootstrap servers (required), e.g. broker-1:9092,broker-2:9092.");
    public static final ConfigOption<String> KAFKA_GROUP_ID = ConfigOptions.key("kafka.group-id")
            .stringType().defaultValue("hawkeye")
            .withDescription("Consumer group id of the telemetry source (offsets are committed on checkpoints).");
    public static final ConfigOption<String> KAFKA_STARTING_OFFSETS = ConfigOptions.key("kafka.starting-offsets")
            .stringType().defaultValue("committed")
            .withDescription("Where to start without a checkpoint: committed (falling back to earliest), "
                    + "earliest or latest.");
    public static final ConfigOption<Boolean> KAFKA_BOUNDED = ConfigOptions.key("kafka.bounded")
            .booleanType().defaultValue(false)
            .withDescription("Stop at the partitions' latest offsets as of the job start (backfills, replays, "
                    + "benchmarks): windows are then closed by the end of input and the job finishes.");
    public static final ConfigOption<String> KAFKA_PROPERTIES_FILE = ConfigOptions.key("kafka.properties-file")
            .stringType().noDefaultValue()
            .withDescription("A Java properties file of extra Kafka client settings (security.protocol, "
                    + "sasl.mechanism, ssl.truststore.location, ...) applied to every Kafka client. "
                    + "Without it, the file named by HAWKEYE_KAFKA_PROPERTIES_FILE if that exists. "
                    + "The SASL JAAS config may instead come from HAWKEYE_KAFKA_SASL_JAAS_CONFIG.");
    public static final ConfigOption<Duration> KAFKA_TRANSACTION_TIMEOUT = ConfigOptions
            .key("kafka.transaction-timeout").durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("transaction.timeout.ms of the exactly-once sinks; must not exceed the broker's "
                    + "transaction.max.timeout.ms (15 min by default) and must exceed the checkpoint interval.");
    public static final ConfigOption<String> TOPIC_TELEMETRY = ConfigOptions.key("topic.telemetry")
            .stringType().defaultValue("telemetry")
            .withDescription("Input topic(s) of spans and metric samples, comma-separated.");
    public static final ConfigOption<String> TOPIC_WINDOW_STATS = ConfigOptions.key("topic.window-stats")
            .stringType().defaultValue("hawkeye.window-stats")
            .withDescription("Output topic of request statistics per endpoint and per service.");
    public static final ConfigOption<String> TOPIC_METRIC_STATS = ConfigOptions.key("topic.metric-stats")
            .stringType().defaultValue("hawkeye.metric-stats")
            .withDescription("Output topic of metric-sample statistics per service and metric name.");
    public static final ConfigOption<String> TOPIC_DLQ = ConfigOptions.key("topic.dlq")
            .stringType().defaultValue("hawkeye.dlq")
            .withDescription("Dead-letter topic: bad input, late events and documents Elasticsearch rejected.");

    // --- Parsing ---
    public static final ConfigOption<Integer> MAX_RECORD_BYTES = ConfigOptions.key("parser.max-record-bytes")
            .intType().defaultValue(1024 * 1024)
            .withDescription("Records larger than this go to the dead-letter topic as too_large.");
    public static final ConfigOption<Duration> MAX_FUTURE_SKEW = ConfigOptions.key("parser.max-future-skew")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("Events stamped further than this ahead of the wall clock are dead-lettered as "
                    + "future_timestamp; 0 disables the check (for replays of simulated data).");

    // --- Event time and windows ---
    public static final ConfigOption<Duration> OUT_OF_ORDERNESS = ConfigOptions.key("watermark.out-of-orderness")
            .durationType().defaultValue(Duration.ofSeconds(5))
            .withDescription("Bounded out-of-orderness of the watermark.");
    public static final ConfigOption<Duration> IDLENESS = ConfigOptions.key("watermark.idleness")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("A partition without events for this long stops holding back the watermark; 0 "
                    + "disables idleness.");
    public static final ConfigOption<Duration> RESUME_GRACE = ConfigOptions.key("watermark.resume-grace")
            .durationType().defaultValue(Duration.ofSeconds(30))
            .withDescription("A partition back from idleness holds its watermark this long, so that partitions "
                    + "still reconnecting (after a broker stall) are not late; cover the Kafka clients' "
                    + "request.timeout.ms (30 s by default). Windows close up to this much later after a "
                    + "partition wakes up.");
    public static final ConfigOption<Duration> WINDOW_SIZE = ConfigOptions.key("window.size")
            .durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("Window size of all statistics.");
    public static final ConfigOption<Duration> WINDOW_SLIDE = ConfigOptions.key("window.slide")
            .durationType().noDefaultValue()
            .withDescription("Window slide for hopping windows; unset means tumbling (slide = size). The size "
                    + "must be a multiple of the slide.");
    public static final ConfigOption<Duration> ALLOWED_LATENESS = ConfigOptions.key("window.allowed-lateness")
            .durationType().defaultValue(Duration.ZERO)
            .withDescription("Events this late after the watermark passed their window still update it (the "
                    + "window is re-emitted with revision+1); later ones are dead-lettered as late.");
    public static final ConfigOption<Double> RELATIVE_ACCURACY = ConfigOptions.key("sketch.relative-accuracy")
            .doubleType().defaultValue(0.01)
            .withDescription("DDSketch relative accuracy of every percentile (0.01 = within 1% of the true "
                    + "value).");
    public static final ConfigOption<Duration> FLUSH_INTERVAL = ConfigOptions.key("preaggregate.flush-interval")
            .durationType().defaultValue(Duration.ofSeconds(1))
            .withDescription("How often the local pre-aggregators ship partial sketches downstream.");
    public static final ConfigOption<Integer> MAX_ENDPOINTS_PER_SERVICE = ConfigOptions
            .key("window.max-endpoints-per-service").intType().defaultValue(1000)
            .withDescription("Endpoint series per service and pre-aggregator subtask: the spans of further endpoint "
                    + "names are counted in the service's endpoint _other (nothing dropped; metric foldedEvents); "
                    + "bounds the state that one service's runaway names (ids in raw paths) can grow.");
    public static final ConfigOption<Integer> MAX_METRICS_PER_SERVICE = ConfigOptions
            .key("window.max-metrics-per-service").intType().defaultValue(1000)
            .withDescription("Metric series per service; samples of further metric names go to the metric _other.");
    public static final ConfigOption<Duration> SERIES_IDLE_TIMEOUT = ConfigOptions
            .key("window.series-idle-timeout").durationType().defaultValue(Duration.ofDays(1))
            .withDescription("An endpoint or metric name without data for this long (event time) frees its place "
                    + "under the per-service caps.");
    public static final ConfigOption<Integer> MAX_BUFFERED_SERIES = ConfigOptions
            .key("preaggregate.max-buffered-series").intType().defaultValue(10_000)
            .withDescription("A pre-aggregator flushes early when it buffers more (series, window) entries.");

    // --- Elasticsearch ---
    public static final ConfigOption<String> ES_HOSTS = ConfigOptions.key("elasticsearch.hosts")
            .stringType().noDefaultValue()
            .withDescription("Elasticsearch URLs, comma-separated (http:// or https://), for the indexer job "
                    + "(io.hawkeye.jobs.index.IndexerJob), which indexes the output topics; the analytics job never "
                    + "writes to Elasticsearch. Credentials come from HAWKEYE_ES_API_KEY or HAWKEYE_ES_USERNAME/"
                    + "HAWKEYE_ES_PASSWORD, a CA certificate from HAWKEYE_ES_CA_CERT.");
    public static final ConfigOption<Integer> ES_BULK_ACTIONS = ConfigOptions.key("elasticsearch.bulk.max-actions")
            .intType().defaultValue(1000)
            .withDescription("Documents per bulk request at most.");
    public static final ConfigOption<String> ALERTMANAGER_URL = ConfigOptions.key("alertmanager.url")
            .stringType().noDefaultValue()
            .withDescription("Alertmanager base URL (e.g. http://alertmanager:9093), for the Alertmanager bridge job "
                    + "(io.hawkeye.jobs.alertmanager.AlertmanagerJob), which posts the annotated alerts to its API v2.");
    public static final ConfigOption<Duration> ALERTMANAGER_RESEND = ConfigOptions
            .key("alertmanager.resend-interval").durationType().defaultValue(Duration.ofMinutes(1))
            .withDescription("A firing alert is posted again this often; its ends_at is 4 intervals ahead, so "
                    + "Alertmanager resolves it by itself if the bridge stops.");
    public static final ConfigOption<String> ALERTMANAGER_GENERATOR_URL = ConfigOptions
            .key("alertmanager.generator-url").stringType().noDefaultValue()
            .withDescription("Kibana base URL for the alerts' generatorURL (a Discover link to the alert's "
                    + "documents); none if unset.");
    public static final ConfigOption<String> ALERTMANAGER_RUNBOOK_URL = ConfigOptions
            .key("alertmanager.runbook-url").stringType().noDefaultValue()
            .withDescription("Runbook URL template for the runbook_url annotation; {service}, {signal} and "
                    + "{detector} are replaced. None if unset.");
    public static final ConfigOption<Duration> ES_BULK_INTERVAL = ConfigOptions
            .key("elasticsearch.bulk.flush-interval").durationType().defaultValue(Duration.ofSeconds(1))
            .withDescription("A buffered document is sent within this time (and always on a checkpoint).");

    // --- Defaults for cluster settings the cluster leaves unset ---
    public static final ConfigOption<Duration> DEFAULT_CHECKPOINT_INTERVAL = ConfigOptions
            .key("defaults.checkpoint-interval").durationType().defaultValue(Duration.ofSeconds(10))
            .withDescription("Checkpoint interval used when execution.checkpointing.interval is not set; "
                    + "exactly-once Kafka output becomes visible to read_committed readers on each checkpoint.");
    public static final ConfigOption<Integer> DEFAULT_MAX_PARALLELISM = ConfigOptions
            .key("defaults.max-parallelism").intType().defaultValue(128)
            .withDescription("pipeline.max-parallelism used when the cluster does not set it; fixes the key "
                    + "groups, so keep it stable across savepoints.");

    // --- Predictive scaling --- (io.hawkeye.jobs.scale.ScalingConfig#from reads this block)
    public static final ConfigOption<Duration> SCALING_HORIZON = ConfigOptions.key("scaling.horizon")
            .durationType().defaultValue(Duration.ofMinutes(15))
            .withDescription("Forecast horizon of the scaler: replicas are sized for the forecast upper bound "
                    + "(p90) this far ahead of each window end; roughly the time a new replica needs to be ready.");
    public static final ConfigOption<Duration> SCALING_SLO_P99 = ConfigOptions.key("scaling.slo-p99")
            .durationType().defaultValue(Duration.ofMillis(250))
            .withDescription("Latency objective: the p99 response time at the desired replicas (M/G/c with the "
                    + "service-time variability estimated from the latency percentiles, M/M/c until then), at the "
                    + "forecast upper bound, must not exceed it.");
    public static final ConfigOption<Double> SCALING_TARGET_UTILISATION = ConfigOptions
            .key("scaling.target-utilisation").doubleType().defaultValue(0.7)
            .withDescription("Utilisation ceiling per replica at the expected load (the point forecast, at least "
                    + "the load now), in (0, 1]; no change for it alone within Kubernetes' 10% tolerance.");
    public static final ConfigOption<Integer> SCALING_MIN_REPLICAS = ConfigOptions.key("scaling.min-replicas")
            .intType().defaultValue(1)
            .withDescription("Fewest replicas the scaler recommends.");
    public static final ConfigOption<Integer> SCALING_MAX_REPLICAS = ConfigOptions.key("scaling.max-replicas")
            .intType().defaultValue(100)
            .withDescription("Most replicas the scaler recommends.");
    public static final ConfigOption<String> SCALING_MAX_STEP = ConfigOptions.key("scaling.max-step")
            .stringType().defaultValue("100%,4")
            .withDescription("Largest scale-up per action: a percentage of the current replicas (100%), a pod "
                    + "count (4), or both (100%,4: the larger of the two, as the HPA's default policy).");
    public static final ConfigOption<Duration> SCALING_STABILISATION_WINDOW = ConfigOptions
            .key("scaling.stabilisation-window").durationType().defaultValue(Duration.ofSeconds(300))
            .withDescription("Scale-down stabilisation: scale down only to the largest recommendation of this "
                    + "past period.");
    public static final ConfigOption<Duration> SCALING_COOLDOWN = ConfigOptions.key("scaling.cooldown")
            .durationType().defaultValue(Duration.ofMinutes(2))
            .withDescription("Least event time between two actions of a service (each scale step may cost a "
                    + "consumer-group rebalance or a cold cache).");
    public static final ConfigOption<String> SCALING_MODE = ConfigOptions.key("scaling.mode")
            .stringType().defaultValue("shadow")
            .withDescription("shadow: actions are published for evaluation only; enforce: a controller "
                    + "(ScalingActionApplier) applies them.");
    public static final ConfigOption<Duration> SCALING_PLAN_AHEAD = ConfigOptions.key("scaling.plan-ahead")
            .durationType().defaultValue(Duration.ZERO)
            .withDescription("Size for the largest forecast upper bound over (now, now + horizon + plan-ahead] "
                    + "instead of the one at the horizon: fewer, larger scale-up steps ahead of a ramp. 0 "
                    + "disables it.");
    public static final ConfigOption<Boolean> SCALING_REACTIVE_WARMUP = ConfigOptions
            .key("scaling.reactive-warmup").booleanType().defaultValue(true)
            .withDescription("While a service's forecaster is LEARNING (its first day) or its interval is not yet "
                    + "calibrated, size reactively from the observed load (the larger of the current rps and the p90 "
                    + "of recent windows) with the same capacity model and safety rules; such actions have model "
                    + "reactive-warmup+mmc. false: no actions until the forecasts are ready.");
    public static final ConfigOption<String> SCALING_SERVICE_RATES = ConfigOptions.key("scaling.service-rates")
            .stringType().defaultValue("")
            .withDescription("Configured per-replica service rates (requests/s), e.g. checkout=40,db=120; other "
                    + "services' rates are estimated from throughput / (replicas x cpu_utilization).");
    public static final ConfigOption<Duration> SCALING_STATE_TTL = ConfigOptions.key("scaling.state-ttl")
            .durationType().defaultValue(Duration.ofDays(3))
            .withDescription("A service without window statistics for this long (event time) loses its "
                    + "forecaster and scaler state.");
    public static final ConfigOption<Duration> SCALING_SCORE_INTERVAL = ConfigOptions
            .key("scaling.score-interval").durationType().defaultValue(Duration.ofHours(1))
            .withDescription("How often (event time) each service's forecast scorecard is emitted.");
    public static final ConfigOption<String> TOPIC_FORECASTS = ConfigOptions.key("topic.forecasts")
            .stringType().defaultValue("hawkeye.forecasts")
            .withDescription("Output topic of request-rate forecasts per service.");
    public static final ConfigOption<String> TOPIC_SCALING_ACTIONS = ConfigOptions.key("topic.scaling-actions")
            .stringType().defaultValue("hawkeye.scaling-actions")
            .withDescription("Output topic of scaling actions (key = service, exactly-once).");
    public static final ConfigOption<String> TOPIC_FORECAST_SCORES = ConfigOptions.key("topic.forecast-scores")
            .stringType().defaultValue("hawkeye.forecast-scores")
            .withDescription("Output topic of the forecast scorecards per service.");
    // --- end of predictive scaling ---

    /** The values of {@link #CAPABILITIES}. */
    public static final List<String> CAPABILITY_VALUES = List.of("window-stats", "detection", "scaling", "correlation",
            "call-edges");

    /**
     * Keys under these namespaces are Flink configuration (checkpointing, state backend, restart strategy, ...):
     * passed through untouched and left to Flink to check.
     */
    public static final List<String> FLINK_NAMESPACES = List.of("execution.", "state.", "pipeline.", "taskmanager.",
            "jobmanager.", "restart-strategy.", "parallelism.", "rest.", "web.", "metrics.", "security.",
            "high-availability.", "cluster.", "heartbeat.", "blob.", "classloader.", "client.", "env.", "fs.",
            "io.", "akka.", "pekko.", "table.", "sql-client.", "kubernetes.", "yarn.", "python.", "s3.", "gs.",
            "resourcemanager.", "slot.", "slotmanager.", "jobstore.", "historyserver.", "queryable-state.",
            "external-resources.", "deployment.", "process.", "zookeeper.");

    /** ParameterTool's value of a {@code --key} without a value. */
    private static final String NO_VALUE = "__NO_VALUE_KEY";

    /** All options, in declaration order. */
    public static List<ConfigOption<?>> all() {
        return declared().stream().map(Declared::option).toList();
    }

    /** An option and the type of its values (its field's type argument). */
    private record Declared(ConfigOption<?> option, Class<?> type) {}

    private static List<Declared> declared() {
        List<Declared> out = new ArrayList<>();
        for (Field f : HawkeyeOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigOption.class) {
                try {
                    Type type = ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
                    out.add(new Declared((ConfigOption<?>) f.get(null), (Class<?>) type));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    /**
     * The job's configuration from {@code --key value} arguments ({@code flink run}), checked as
     * {@link #configuration(Map)} does. A {@code --key} without a value sets a Boolean option to true.
     *
     * @throws IllegalConfigurationException naming every misspelt option and bad value
     */
    public static Configuration fromArgs(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        ParameterTool.fromArgs(args).toMap().forEach((k, v) -> options.put(k, NO_VALUE.equals(v) ? null : v));
        return configuration(options);
    }

    /**
     * The job's configuration from {@code key -> value} pairs, checked up front so that a mistake fails the job
     * at submission, not hours later or never: every key must be a Hawkeye option or lie under a Flink namespace
     * ({@link #FLINK_NAMESPACES}, passed through to Flink); every value must parse as its option's type, durations
     * in the syntax of {@link Durations} (which Flink's own parser does not fully accept, so they are stored
     * parsed); every capability must be one of {@link #CAPABILITY_VALUES}. A null value stands for a key given
     * without a value: true for a Boolean option, an error otherwise.
     *
     * @throws IllegalConfigurationException with one line naming every problem, e.g. {@code unknown option
     *     'widnow.size' (did you mean window.size?)}
     */
    public static Configuration configuration(Map<String, String> options) {
        Map<String, Declared> byKey = new LinkedHashMap<>();
        for (Declared d : declared()) byKey.put(d.option().key(), d);
        List<String> problems = new ArrayList<>();
        Map<String, String> strings = new LinkedHashMap<>();
        Map<ConfigOption<Duration>, Duration> durations = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            Declared d = byKey.get(key);
            if (d == null) {
                if (FLINK_NAMESPACES.stream().anyMatch(key::startsWith)) {
                    if (value == null) problems.add(key + ": missing value");
                    else strings.put(key, value);
                } else {
                    problems.add(unknown("option", key, byKey.keySet(), " or a Flink setting under "
                            + String.join("*, ", FLINK_NAMESPACES) + "*"));
                }
                continue;
            }
            if (value == null) {
                if (d.type() != Boolean.class) {
                    problems.add(key + ": missing value");
                    continue;
                }
                value = "true";
            }
            String problem = check(d, value.trim(), strings, durations);
            if (problem != null) problems.add(key + ": " + problem);
        }
        if (!problems.isEmpty()) throw new IllegalConfigurationException(String.join("; ", problems));
        Configuration conf = Configuration.fromMap(strings);
        durations.forEach(conf::set);
        return conf;
    }

    @SuppressWarnings("unchecked")
    private static String check(Declared d, String value, Map<String, String> strings,
            Map<ConfigOption<Duration>, Duration> durations) {
        String key = d.option().key();
        if (d.type() == Duration.class) {
            try {
                durations.put((ConfigOption<Duration>) d.option(), Durations.parse(value));
                return null;
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        try {
            Configuration.fromMap(Map.of(key, value)).get(d.option());
        } catch (IllegalArgumentException e) {
            return "'" + value + "' is not " + (d.type() == Boolean.class ? "true or false"
                    : d.type() == Double.class ? "a number" : "an integer");
        }
        if (d.option() == CAPABILITIES) {
            String problem = checkCapabilities(value);
            if (problem != null) return problem;
        }
        strings.put(key, value);
        return null;
    }

    /** The capabilities named in a {@link #CAPABILITIES} value (comma-separated, blanks ignored). */
    public static List<String> capabilities(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
    }

    private static String checkCapabilities(String value) {
        List<String> caps = capabilities(value);
        for (String c : caps) {
            if (!CAPABILITY_VALUES.contains(c)) return unknown("capability", c, CAPABILITY_VALUES, "");
        }
        if (caps.contains("correlation") && !caps.contains("detection")) {
            return "correlation needs detection (it correlates the alerts)";
        }
        return null;
    }

    /** {@code unknown WHAT 'x' (did you mean y?)}, or {@code unknown WHAT 'x' (valid: a, b, c{orElse})}. */
    private static String unknown(String what, String given, Collection<String> valid, String orElse) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String v : valid) {
            int dist = editDistance(given.toLowerCase(Locale.ROOT), v);
            if (dist < bestDistance) {
                best = v;
                bestDistance = dist;
            }
        }
        if (best != null && bestDistance <= Math.max(2, given.length() / 4)) {
            return "unknown " + what + " '" + given + "' (did you mean " + best + "?)";
        }
        return "unknown " + what + " '" + given + "' (valid: " + String.join(", ", valid) + orElse + ")";
    }

    /** Levenshtein distance, with a transposition of neighbours counting as one edit. */
    static int editDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** The configuration table of the README, as Markdown. */
    public static String markdownTable() {
        StringBuilder b = new StringBuilder("| option | type | default | description |\n|---|---|---|---|\n");
        for (Declared d : declared()) {
            ConfigOption<?> o = d.option();
            String def = o.hasDefaultValue() ? format(o.defaultValue()) : "(none)";
            b.append("| `").append(o.key()).append("` | ").append(d.type().getSimpleName()).append(" | ").append(def)
                    .append(" | ").append(new HtmlFormatter().format(o.description()).replaceAll("\\s+", " ")
                            .replace("|", "\\|")).append(" |\n");
        }
        return b.toString();
    }

    private static String format(Object v) {
        return v instanceof Duration d ? Durations.format(d) : String.valueOf(v);
    }

    // --- Anomaly detection ---
    public static final ConfigOption<String> TOPIC_ALERTS = ConfigOptions.key("topic.alerts")
            .stringType().defaultValue("hawkeye.alerts")
            .withDescription("Output topic of alerts (all detectors), exactly-once, key = alert_id.");
    public static final ConfigOption<String> TOPIC_RULES = ConfigOptions.key("topic.rules")
            .stringType().defaultValue("hawkeye.rules")
            .withDescription("Compacted input topic of threshold-rule updates: key = rule name, value = the rule "
                    + "as YAML/JSON, empty value = delete. Read from the beginning on every start; empty "
                    + "disables runtime rule updates.");
    public static final ConfigOption<String> DETECT_RULES_FILE = ConfigOptions.key("detect.rules-file")
            .stringType().noDefaultValue()
            .withDescription("YAML file of threshold rules loaded at startup (format in docs/detection.md); a "
                    + "bad rule fails the job at startup. Unset: the shipped deploy/rules/default-rules.yaml.");
    public static final ConfigOption<Integer> DETECT_FOR_WINDOWS = ConfigOptions.key("detect.for-windows")
            .intType().defaultValue(2)
            .withDescription("Alerts fire after this many consecutive anomalous windows (seasonal, with "
                    + "detect.false-alarms-per-week: or at once on one window as improbable as this many at the "
                    + "threshold together).");
    public static final ConfigOption<Integer> DETECT_UPDATE_EVERY = ConfigOptions.key("detect.update-every")
            .intType().defaultValue(5)
            .withDescription("While an alert fires, an update is sent at most every this many windows.");
    public static final ConfigOption<Integer> DETECT_QUIET_WINDOWS = ConfigOptions.key("detect.quiet-windows")
            .intType().defaultValue(3)
            .withDescription("An alert resolves after this many consecutive normal windows.");
    public static final ConfigOption<Double> DETECT_FIRE_SCORE = ConfigOptions.key("detect.fire-score")
            .doubleType().defaultValue(0.9)
            .withDescription("Anomaly score (0..1) at which a window counts towards firing a multivariate alert "
                    + "(and a seasonal one when detect.false-alarms-per-week is 0).");
    public static final ConfigOption<Double> DETECT_KEEP_SCORE = ConfigOptions.key("detect.keep-score")
            .doubleType().defaultValue(0.7)
            .withDescription("Hysteresis: while firing, windows scoring at least this keep the alert active.");
    public static final ConfigOption<Double> DETECT_FALSE_ALARMS_PER_WEEK = ConfigOptions
            .key("detect.false-alarms-per-week").doubleType().defaultValue(1.0)
            .withDescription("False-alarm budget of the seasonal detector per series and week: a window counts "
                    + "towards firing when the series' own tail model puts the probability of an excursion as far "
                    + "out at most budget / windows per week (keep: 10x that); alerts carry it as label "
                    + "probability. 0 = the fixed detect.fire-score and detect.keep-score.");
    public static final ConfigOption<Double> DETECT_MIN_EXPECTED_COUNT = ConfigOptions
            .key("detect.min-expected-count").doubleType().defaultValue(5.0)
            .withDescription("Gap policy: a window without data counts as zero traffic (and can alert on rps) "
                    + "only for series expecting at least this many requests per window; 0 disables.");
    public static final ConfigOption<Long> DETECT_MIN_REQUESTS = ConfigOptions.key("detect.min-requests")
            .longType().defaultValue(10L)
            .withDescription("error_rate and p99_ms are not scored for windows with fewer requests.");
    public static final ConfigOption<Duration> DETECT_SERIES_IDLE_TIMEOUT = ConfigOptions
            .key("detect.series-idle-timeout").durationType().defaultValue(Duration.ofDays(7))
            .withDescription("A series without data for this long (event time) is forgotten: its model, "
                    + "alert state and timers are removed.");
    public static final ConfigOption<String> DETECT_SEASONAL_SEVERITY = ConfigOptions
            .key("detect.seasonal-severity").stringType().defaultValue("warning")
            .withDescription("Severity of seasonal-detector alerts.");
    // Multivariate detection per service (isolation forest + relationship detector), see docs/detection.md.
    public static final ConfigOption<Boolean> DETECT_MULTIVARIATE = ConfigOptions.key("detect.multivariate")
            .booleanType().defaultValue(true)
            .withDescription("Run the multivariate detectors per service (isolation forest and relationship "
                    + "break over log p50, log p99, error rate, log rps, CPU utilisation); alerts with detector "
                    + "iforest / relationship and signal multivariate.");
    public static final ConfigOption<Integer> DETECT_MULTIVARIATE_REFIT_EVERY = ConfigOptions
            .key("detect.multivariate.refit-every").intType().defaultValue(60)
            .withDescription("The multivariate models of a service are refitted every this many windows (a young "
                    + "model, whose sample is still growing, refits sooner: when the sample grew by a quarter).");
    public static final ConfigOption<Integer> DETECT_MULTIVARIATE_MIN_HISTORY = ConfigOptions
            .key("detect.multivariate.min-history").intType().defaultValue(1440)
            .withDescription("Windows of a service the multivariate detectors learn from before they score "
                    + "(LEARNING until then; default: a day of 1-minute windows, so that the first day's trough "
                    + "and peak are not novel).");
    public static final ConfigOption<Integer> DETECT_MULTIVARIATE_SAMPLE_SIZE = ConfigOptions
            .key("detect.multivariate.sample-size").intType().defaultValue(512)
            .withDescription("Training sample (windows) kept per service for the multivariate detectors: "
                    + "8 bytes x 5 features each in state.");
    public static final ConfigOption<Integer> DETECT_MULTIVARIATE_CACHED_MODELS = ConfigOptions
            .key("detect.multivariate.cached-models").intType().defaultValue(16)
            .withDescription("Fitted isolation forests kept deserialised per subtask (least recently used out). A "
                    + "service whose model is not cached reloads it from state on each window (~0.5 MB, ~20 ms): "
                    + "harmless in real time, but a replay or catch-up with more services per subtask than this "
                    + "is several times slower. Raise it to the services per subtask, at ~5 MB of heap per model.");

    // --- Correlation ---
    public static final ConfigOption<Duration> CORRELATE_WINDOW = ConfigOptions.key("correlate.window")
            .durationType().defaultValue(Duration.ofMinutes(10))
            .withDescription("An alert joins an open incident when it starts within this time (event time) of "
                    + "the incident's latest alert start and its service is within correlate.max-hops.");
    public static final ConfigOption<Integer> CORRELATE_MAX_HOPS = ConfigOptions.key("correlate.max-hops")
            .intType().defaultValue(2)
            .withDescription("Maximum call-path distance (transitive callers or callees) on the dependency graph "
                    + "between an alert's service and an incident's services for the alert to join the incident.");
    public static final ConfigOption<Duration> CORRELATE_QUIET_PERIOD = ConfigOptions.key("correlate.quiet-period")
            .durationType().defaultValue(Duration.ofMinutes(5))
            .withDescription("An incident resolves this long (event time) after all its alerts have resolved. "
                    + "Alerts arriving up to this late still join their incident.");
    public static final ConfigOption<Duration> CORRELATE_EDGE_EXPIRY = ConfigOptions.key("correlate.edge-expiry")
            .durationType().defaultValue(Duration.ofHours(1))
            .withDescription("A dependency edge learned from spans is removed when no call was seen on it for "
                    + "this long (event time). Edges of correlate.topology-file never expire.");
    public static final ConfigOption<String> CORRELATE_TOPOLOGY_FILE = ConfigOptions.key("correlate.topology-file")
            .stringType().noDefaultValue()
            .withDescription("Optional static dependency graph: a simulator topology YAML (docs/simulator.md); "
                    + "its edges (each service's direct callees) are merged with the learned ones.");
    public static final ConfigOption<Boolean> CORRELATE_SUPPRESS_SYMPTOMS = ConfigOptions
            .key("correlate.suppress-symptoms").booleanType().defaultValue(true)
            .withDescription("Annotate alerts on services other than their incident's top root-cause "
                    + "candidate with caused_by = that candidate.");
    public static final ConfigOption<String> TOPIC_INCIDENTS = ConfigOptions.key("topic.incidents")
            .stringType().defaultValue("hawkeye.incidents")
            .withDescription("Output topic of incidents, exactly-once, key = incident_id, one record per change "
                    + "(the changes of one window coalesced).");
    public static final ConfigOption<String> TOPIC_CALL_EDGES = ConfigOptions.key("topic.call-edges")
            .stringType().defaultValue("hawkeye.call-edges")
            .withDescription("Output topic of the per-edge call statistics (capability call-edges).");
    public static final ConfigOption<String> TOPIC_TOPOLOGY = ConfigOptions.key("topic.topology")
            .stringType().defaultValue("hawkeye.topology")
            .withDescription("Output topic (compacted) of dependency-graph edges, key = caller|callee, "
                    + "published every window.");
    public static final ConfigOption<String> TOPIC_ANNOTATED_ALERTS = ConfigOptions.key("topic.annotated-alerts")
            .stringType().defaultValue("hawkeye.alerts.annotated")
            .withDescription("Output topic of alerts annotated with incident_id and caused_by, key = alert_id.");
    public static final ConfigOption<String> CORRELATE_PARTITION_LABEL = ConfigOptions
            .key("correlate.partition-label").stringType().noDefaultValue()
            .withDescription("Optional alert label (e.g. cluster or tenant) that partitions the incident "
                    + "correlation: alerts join only incidents with the same label value (missing = empty value), "
                    + "and the incident operator runs at the job's parallelism instead of 1 (the graph is "
                    + "broadcast to every subtask). Unset: one global incident operator. Switching it starts the "
                    + "incident operator with empty state (another uid).");
}
