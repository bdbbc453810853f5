package io.hawkeye.topology;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.hawkeye.config.Durations;
import io.hawkeye.topology.Topology.Call;
import io.hawkeye.topology.Topology.Endpoint;
import io.hawkeye.topology.Topology.Entry;
import io.hawkeye.topology.Topology.Fault;
import io.hawkeye.topology.Topology.FaultType;
import io.hawkeye.topology.Topology.Service;
import io.hawkeye.topology.Topology.ServiceTime;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Reads a topology from YAML and validates it. Works on the YAML tree rather than data binding so that
 * every error names the exact path (e.g. {@code services.checkout.endpoints.POST /checkout.calls[1].service})
 * and unknown keys — usually typos — are rejected instead of silently ignored.
 *
 * <p>Checks: required fields present, numbers in range (replicas ≥ 1, rates ≥ 0, probabilities in [0, 1],
 * amplitude in [0, 1), …), every call and entry refers to an existing service and endpoint, the
 * endpoint-level call graph is acyclic (a cycle would make the expected arrival rates infinite and traces
 * endless), and faults name existing services with type-appropriate parameters.
 */
final class TopologyLoader {

    private static final YAMLMapper YAML = new YAMLMapper();

    static final double DEFAULT_TIMEOUT_MS = 5000;
    static final double DEFAULT_ERROR_PROPAGATION = 0.9;

    private TopologyLoader() {}

    static Topology parse(String yaml, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new TopologyException(source + ": invalid YAML: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new TopologyException(source + ": a topology must be a YAML mapping");
        }
        return new TopologyLoader.Reader(source).read(root);
    }

    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        private TopologyException error(String path, String message) {
            return new TopologyException(source + ": " + path + ": " + message);
        }

        Topology read(JsonNode root) {
            allowOnly(root, "", "name", "timezone", "metrics_interval", "sampling", "defaults", "services",
                    "traffic", "faults");
            String name = text(root, "", "name", "topology");
            ZoneId zone;
            String zoneText = text(root, "", "timezone", "UTC");
            try {
                zone = ZoneId.of(zoneText);
            } catch (RuntimeException e) {
                throw error("timezone", "unknown time zone '" + zoneText + "'");
            }
            Duration metricsInterval = duration(root, "", "metrics_interval", Duration.ofSeconds(10));
            if (metricsInterval.toMillis() < 1000 || metricsInterval.toMillis() % 1000 != 0) {
                throw error("metrics_interval", "must be a whole number of seconds >= 1s");
            }

            JsonNode sampling = object(root, "", "sampling");
            double sampleRate = 1.0;
            int maxSpans = 0;
            if (sampling != null) {
                allowOnly(sampling, "sampling", "span_sample_rate", "max_spans_per_second");
                sampleRate = number(sampling, "sampling", "span_sample_rate", 1.0);
                if (!(sampleRate > 0 && sampleRate <= 1)) {
                    throw error("sampling.span_sample_rate", "must be in (0, 1], got " + sampleRate);
                }
                maxSpans = (int) integer(sampling, "sampling", "max_spans_per_second", 0, 0);
            }

            JsonNode defaults = object(root, "", "defaults");
            double defTimeout = DEFAULT_TIMEOUT_MS;
            double defPropagation = DEFAULT_ERROR_PROPAGATION;
            if (defaults != null) {
                allowOnly(defaults, "defaults", "timeout_ms", "error_propagation");
                defTimeout = positive(defaults, "defaults", "timeout_ms", DEFAULT_TIMEOUT_MS);
                defPropagation = probability(defaults, "defaults", "error_propagation", DEFAULT_ERROR_PROPAGATION);
            }

            JsonNode servicesNode = object(root, "", "services");
            if (servicesNode == null || servicesNode.isEmpty()) {
                throw error("services", "at least one service is required");
            }
            Map<String, Service> services = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = servicesNode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                services.put(e.getKey(), service(e.getKey(), e.getValue(), defTimeout, defPropagation));
            }
            checkCalls(services);
            checkAcyclic(services);

            List<Entry> entries = new ArrayList<>();
            JsonNode traffic = root.get("traffic");
            if (traffic == null || !traffic.isArray() || traffic.isEmpty()) {
                throw error("traffic", "a non-empty list of entry endpoints is required");
            }
            for (int i = 0; i < traffic.size(); i++) {
                entries.add(entry("traffic[" + i + "]", traffic.get(i), services));
            }

            List<Fault> faults = new ArrayList<>();
            JsonNode faultsNode = root.get("faults");
            if (faultsNode != null && !faultsNode.isNull()) {
                if (!faultsNode.isArray()) {
                    throw error("faults", "must be a list");
                }
                for (int i = 0; i < faultsNode.size(); i++) {
                    faults.add(fault("faults[" + i + "]", faultsNode.get(i), services, entries));
                }
            }
            return new Topology(name, zone, sampleRate, maxSpans, metricsInterval, services, entries, faults);
        }

        private Service service(String name, JsonNode node, double defTimeout, double defPropagation) {
            String p = "services." + name;
            if (name.isBlank()) {
                throw error(p, "service name must not be blank");
            }
            if (node == null || !node.isObject()) {
                throw error(p, "must be a mapping");
            }
            allowOnly(node, p, "replicas", "service_time", "error_rate", "timeout_ms", "error_propagation",
                    "endpoints");
            int replicas = (int) integer(node, p, "replicas", 1, 1);
            JsonNode st = object(node, p, "service_time");
            if (st == null) {
                throw error(p + ".service_time", "is required");
            }
            ServiceTime serviceTime = serviceTime(p + ".service_time", st);
            double errorRate = probability(node, p, "error_rate", 0.0);
            double timeout = positive(node, p, "timeout_ms", defTimeout);
            double propagation = probability(node, p, "error_propagation", defPropagation);
            JsonNode eps = object(node, p, "endpoints");
            if (eps == null || eps.isEmpty()) {
                throw error(p + ".endpoints", "at least one endpoint is required");
            }
            Map<String, Endpoint> endpoints = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = eps.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                endpoints.put(e.getKey(), endpoint(p + ".endpoints." + e.getKey(), e.getKey(), e.getValue()));
            }
            return new Service(name, replicas, serviceTime, errorRate, timeout, propagation, endpoints);
        }

        private ServiceTime serviceTime(String p, JsonNode node) {
            allowOnly(node, p, "distribution", "mean_ms", "median_ms", "sigma");
            String dist = text(node, p, "distribution", "exponential").toLowerCase(Locale.ROOT);
            switch (dist) {
                case "exponential":
                    return ServiceTime.exponential(requiredPositive(node, p, "mean_ms"));
                case "constant":
                    return ServiceTime.constant(requiredPositive(node, p, "mean_ms"));
                case "lognormal": {
                    double median = requiredPositive(node, p, "median_ms");
                    double sigma = number(node, p, "sigma", 0.5);
                    if (!(sigma >= 0 && sigma <= 3)) {
                        throw error(p + ".sigma", "must be in [0, 3], got " + sigma);
                    }
                    return ServiceTime.lognormal(median, sigma);
                }
                default:
                    throw error(p + ".distribution",
                            "unknown distribution '" + dist + "' (exponential, lognormal, constant)");
            }
        }

        private Endpoint endpoint(String p, String name, JsonNode node) {
            List<Call> calls = new ArrayList<>();
            if (node != null && !node.isNull()) {
                if (!node.isObject()) {
                    throw error(p, "must be a mapping (or empty)");
                }
                allowOnly(node, p, "calls");
                JsonNode callsNode = node.get("calls");
                if (callsNode != null && !callsNode.isNull()) {
                    if (!callsNode.isArray()) {
                        throw error(p + ".calls", "must be a list");
                    }
                    for (int i = 0; i < callsNode.size(); i++) {
                        String cp = p + ".calls[" + i + "]";
                        JsonNode c = callsNode.get(i);
                        if (!c.isObject()) {
                            throw error(cp, "must be a mapping with service and endpoint");
                        }
                        allowOnly(c, cp, "service", "endpoint", "probability", "count");
                        String svc = requiredText(c, cp, "service");
                        String ep = requiredText(c, cp, "endpoint");
                        double prob = probability(c, cp, "probability", 1.0);
                        int count = (int) integer(c, cp, "count", 1, 1);
                        calls.add(new Call(svc, ep, prob, count));
                    }
                }
            }
            return new Endpoint(name, calls);
        }

        private void checkCalls(Map<String, Service> services) {
            for (Service s : services.values()) {
                for (Endpoint e : s.endpoints().values()) {
                    for (int i = 0; i < e.calls().size(); i++) {
                        Call c = e.calls().get(i);
                        String cp = "services." + s.name() + ".endpoints." + e.name() + ".calls[" + i + "]";
                        Service callee = services.get(c.service());
                        if (callee == null) {
                            throw error(cp + ".service", "unknown callee service '" + c.service() + "'");
                        }
                        if (!callee.endpoints().containsKey(c.endpoint())) {
                            throw error(cp + ".endpoint", "service '" + c.service() + "' has no endpoint '"
                                    + c.endpoint() + "'");
                        }
                    }
                }
            }
        }

        /** Depth-first search on endpoints; reports the first cycle found as a readable path. */
        private void checkAcyclic(Map<String, Service> services) {
            Map<String, Integer> state = new HashMap<>(); // 1 = on stack, 2 = done
            for (Service s : services.values()) {
                for (Endpoint e : s.endpoints().values()) {
                    visit(services, s.name(), e.name(), state, new ArrayList<>());
                }
            }
        }

        private void visit(Map<String, Service> services, String svc, String ep, Map<String, Integer> state,
                           List<String> stack) {
            String key = svc + " " + ep;
            Integer st = state.get(key);
            if (st != null && st == 2) {
                return;
            }
            stack.add(svc + "/" + ep);
            if (st != null && st == 1) {
                int from = stack.indexOf(svc + "/" + ep);
                throw error("services." + svc,
                        "cycle in the call graph: " + String.join(" -> ", stack.subList(from, stack.size())));
            }
            state.put(key, 1);
            for (Call c : services.get(svc).endpoint(ep).calls()) {
                visit(services, c.service(), c.endpoint(), state, stack);
            }
            state.put(key, 2);
            stack.remove(stack.size() - 1);
        }

        private Entry entry(String p, JsonNode node, Map<String, Service> services) {
            if (node == null || !node.isObject()) {
                throw error(p, "must be a mapping");
            }
            allowOnly(node, p, "service", "endpoint", "rps", "daily", "weekly", "trend_per_day", "noise");
            String svc = requiredText(node, p, "service");
            Service s = services.get(svc);
            if (s == null) {
                throw error(p + ".service", "unknown service '" + svc + "'");
            }
            String ep = requiredText(node, p, "endpoint");
            if (!s.endpoints().containsKey(ep)) {
                throw error(p + ".endpoint", "service '" + svc + "' has no endpoint '" + ep + "'");
            }
            double rps = number(node, p, "rps", Double.NaN);
            if (!(rps >= 0) || Double.isInfinite(rps)) {
                throw error(p + ".rps", "is required and must be >= 0, got " + node.get("rps"));
            }
            double amplitude = 0;
            double peak = 12;
            JsonNode daily = object(node, p, "daily");
            if (daily != null) {
                allowOnly(daily, p + ".daily", "amplitude", "peak_hour");
                amplitude = number(daily, p + ".daily", "amplitude", 0);
                if (!(amplitude >= 0 && amplitude < 1)) {
                    throw error(p + ".daily.amplitude", "must be in [0, 1), got " + amplitude);
                }
                peak = number(daily, p + ".daily", "peak_hour", 12);
                if (!(peak >= 0 && peak < 24)) {
                    throw error(p + ".daily.peak_hour", "must be in [0, 24), got " + peak);
                }
            }
            double weekend = 1;
            JsonNode weekly = object(node, p, "weekly");
            if (weekly != null) {
                allowOnly(weekly, p + ".weekly", "weekend_factor");
                weekend = number(weekly, p + ".weekly", "weekend_factor", 1);
                if (!(weekend >= 0)) {
                    throw error(p + ".weekly.weekend_factor", "must be >= 0, got " + weekend);
                }
            }
            double trend = number(node, p, "trend_per_day", 0);
            double noise = number(node, p, "noise", 0);
            if (!(noise >= 0 && noise <= 1)) {
                throw error(p + ".noise", "must be in [0, 1], got " + noise);
            }
            return new Entry(svc, ep, rps, amplitude, peak, weekend, trend, noise);
        }

        private Fault fault(String p, JsonNode node, Map<String, Service> services, List<Entry> entries) {
            if (node == null || !node.isObject()) {
                throw error(p, "must be a mapping");
            }
            String typeText = requiredText(node, p, "type");
            FaultType type;
            try {
                type = FaultType.valueOf(typeText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(p + ".type", "unknown fault type '" + typeText
                        + "' (latency, error_burst, capacity_loss, traffic_drop, network_delay)");
            }
            switch (type) {
                case LATENCY -> allowOnly(node, p, "type", "service", "start", "duration", "extra_ms", "multiplier");
                case ERROR_BURST -> allowOnly(node, p, "type", "service", "start", "duration", "error_rate");
                case CAPACITY_LOSS -> allowOnly(node, p, "type", "service", "start", "duration", "replicas_lost");
                case TRAFFIC_DROP -> allowOnly(node, p, "type", "service", "endpoint", "start", "duration", "factor");
                case NETWORK_DELAY -> allowOnly(node, p, "type", "service", "start", "duration", "extra_ms");
            }
            String svc = requiredText(node, p, "service");
            Service s = services.get(svc);
            if (s == null) {
                throw error(p + ".service", "unknown service '" + svc + "'");
            }
            Duration start = duration(node, p, "start", null);
            Duration length = duration(node, p, "duration", null);
            if (start == null) {
                throw error(p + ".start", "is required (offset from the simulation start, e.g. 3h)");
            }
            if (length == null || length.isZero()) {
                throw error(p + ".duration", "is required and must be > 0");
            }
            double extra = 0;
            double mult = 1;
            double err = 0;
            int lost = 0;
            double factor = 1;
            String endpoint = null;
            switch (type) {
                case LATENCY -> {
                    extra = number(node, p, "extra_ms", 0);
                    mult = number(node, p, "multiplier", 1);
                    if (!(extra >= 0)) {
                        throw error(p + ".extra_ms", "must be >= 0, got " + extra);
                    }
                    if (!(mult >= 1)) {
                        throw error(p + ".multiplier", "must be >= 1, got " + mult);
                    }
                    if (extra == 0 && mult == 1) {
                        throw error(p, "a latency fault needs extra_ms > 0 or multiplier > 1");
                    }
                }
                case NETWORK_DELAY -> {
                    extra = number(node, p, "extra_ms", 0);
                    if (!(extra > 0)) {
                        throw error(p + ".extra_ms", "a network delay needs extra_ms > 0, got " + extra);
                    }
                }
                case ERROR_BURST -> {
                    if (!node.has("error_rate")) {
                        throw error(p + ".error_rate", "is required");
                    }
                    err = probability(node, p, "error_rate", 0);
                }
                case CAPACITY_LOSS -> {
                    if (!node.has("replicas_lost")) {
                        throw error(p + ".replicas_lost", "is required");
                    }
                    lost = (int) integer(node, p, "replicas_lost", 1, 1);
                    if (lost > s.replicas()) {
                        throw error(p + ".replicas_lost", "service '" + svc + "' has only " + s.replicas()
                                + " replicas, cannot lose " + lost);
                    }
                }
                case TRAFFIC_DROP -> {
                    if (!node.has("factor")) {
                        throw error(p + ".factor", "is required");
                    }
                    factor = number(node, p, "factor", 1);
                    if (!(factor >= 0)) {
                        throw error(p + ".factor", "must be >= 0, got " + factor);
                    }
                    endpoint = node.has("endpoint") ? requiredText(node, p, "endpoint") : null;
                    String ep = endpoint;
                    boolean isEntry = entries.stream()
                            .anyMatch(e -> e.service().equals(svc) && (ep == null || e.endpoint().equals(ep)));
                    if (!isEntry) {
                        throw error(p + ".service", "traffic_drop needs an entry endpoint of '" + svc
                                + "' listed under traffic");
                    }
                }
            }
            return new Fault(type, svc, endpoint, start, length, extra, mult, err, lost, factor);
        }

        // --- typed field access with paths ---

        private void allowOnly(JsonNode node, String p, String... names) {
            Set<String> allowed = Set.of(names);
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!allowed.contains(f)) {
                    throw error(join(p, f), "unknown field (allowed: " + String.join(", ", names) + ")");
                }
            }
        }

        private static String join(String p, String f) {
            return p.isEmpty() ? f : p + "." + f;
        }

        /** The value of field {@code f}, or null when it is absent or null. */
        private static JsonNode value(JsonNode node, String f) {
            JsonNode v = node.get(f);
            return v == null || v.isNull() ? null : v;
        }

        /**
         * The value of field {@code f}, or null when it is absent or null; a value that is not {@code ok} is the
         * error "must be {@code kind}", followed by the value itself when {@code showValue}.
         */
        private JsonNode value(JsonNode node, String p, String f, Predicate<JsonNode> ok, String kind,
                boolean showValue) {
            JsonNode v = value(node, f);
            if (v != null && !ok.test(v)) {
                throw error(join(p, f), "must be " + kind + (showValue ? ", got '" + v.asText() + "'" : ""));
            }
            return v;
        }

        private JsonNode object(JsonNode node, String p, String f) {
            return value(node, p, f, JsonNode::isObject, "a mapping", false);
        }

        private String text(JsonNode node, String p, String f, String def) {
            JsonNode v = value(node, p, f, JsonNode::isValueNode, "a string", false);
            return v == null ? def : v.asText();
        }

        private String requiredText(JsonNode node, String p, String f) {
            String s = text(node, p, f, null);
            if (s == null || s.isBlank()) {
                throw error(join(p, f), "is required");
            }
            return s;
        }

        private double number(JsonNode node, String p, String f, double def) {
            JsonNode v = value(node, p, f, JsonNode::isNumber, "a number", true);
            if (v == null) {
                return def;
            }
            double d = v.asDouble();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw error(join(p, f), "must be finite");
            }
            return d;
        }

        private long integer(JsonNode node, String p, String f, long def, long min) {
            JsonNode v = value(node, p, f, n -> n.canConvertToLong() && n.isIntegralNumber(), "an integer", true);
            if (v == null) {
                return def;
            }
            long l = v.asLong();
            if (l < min || l > Integer.MAX_VALUE) {
                throw error(join(p, f), "must be >= " + min + ", got " + l);
            }
            return l;
        }

        private double positive(JsonNode node, String p, String f, double def) {
            double d = number(node, p, f, def);
            if (!(d > 0)) {
                throw error(join(p, f), "must be > 0, got " + d);
            }
            return d;
        }

        private double requiredPositive(JsonNode node, String p, String f) {
            if (!node.has(f)) {
                throw error(join(p, f), "is required");
            }
            return positive(node, p, f, 0);
        }

        private double probability(JsonNode node, String p, String f, double def) {
            double d = number(node, p, f, def);
            if (!(d >= 0 && d <= 1)) {
                throw error(join(p, f), "must be a probability in [0, 1], got " + d);
            }
            return d;
        }

        private Duration duration(JsonNode node, String p, String f, Duration def) {
            JsonNode v = value(node, f);
            if (v == null) {
                return def;
            }
            Duration d;
            try {
                d = Durations.parse(v.asText());
            } catch (IllegalArgumentException e) {
                throw error(join(p, f), e.getMessage());
            }
            if (d.isNegative()) {
                throw error(join(p, f), "must not be negative");
            }
            return d;
        }
    }
}
