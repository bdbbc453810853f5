package io.hawkeye.jobs.alertmanager;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawkeye.alerts.Alert;
import java.io.Serializable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hawkeye alerts as Alertmanager API v2 alerts ({@code POST /api/v2/alerts}).
 *
 * <p>Labels identify an alert in Alertmanager, so they hold only what names it and routes it: {@code alertname}
 * ({@code hawkeye_<detector>}, or the rule's name for a threshold rule), {@code service}, {@code endpoint},
 * {@code signal}, {@code severity}, {@code detector}, and for an incident member {@code incident_id},
 * {@code role} ({@code cause} on the incident's top root-cause service, else {@code symptom}) and
 * {@code caused_by}. The shipped inhibit rule (deploy/alertmanager/alertmanager.yml) silences an incident's
 * symptoms while its cause fires. Annotations carry what changes: summary, description (observed vs expected,
 * score), {@code root_cause}, {@code runbook_url}. A firing alert's {@code endsAt} lies a few resend intervals
 * ahead, so Alertmanager resolves it by itself if the bridge stops sending.
 */
public final class AlertmanagerAlerts implements Serializable {
    private static final long serialVersionUID = 1L;
    static final ObjectMapper JSON = new ObjectMapper();

    private final String generatorUrl;
    private final String runbookUrl;

    /**
     * @param generatorUrl Kibana base URL for {@code generatorURL} (a Discover query on the alert id), or null
     * @param runbookUrl   runbook URL template ({@code {service}}, {@code {signal}}, {@code {detector}}), or null
     */
    public AlertmanagerAlerts(String generatorUrl, String runbookUrl) {
        this.generatorUrl = generatorUrl;
        this.runbookUrl = runbookUrl;
    }

    /** The labels that identify {@code a} in Alertmanager. */
    public static Map<String, String> labels(Alert a) {
        Map<String, String> l = new TreeMap<>();
        boolean rule = a.detector != null && a.detector.startsWith("rule:");
        l.put("alertname", rule ? a.signal : "hawkeye_" + a.detector);
        put(l, "service", a.service);
        put(l, "endpoint", a.endpoint);
        put(l, "signal", a.signal);
        put(l, "severity", a.severity);
        put(l, "detector", a.detector);
        if (a.incidentId != null) {
            l.put("incident_id", a.incidentId);
            l.put("role", a.causedBy == null ? "cause" : "symptom");
            put(l, "caused_by", a.causedBy);
        }
        return l;
    }

    /** The API v2 alert of {@code a} with the given {@code endsAt} (a future instant while firing). */
    public String payload(Alert a, long endsAt) {
        return payload(labels(a), a, endsAt);
    }

    /** The alert under an earlier label set, resolved at {@code endsAt} (its labels changed: e.g. it joined an incident). */
    public String payload(Map<String, String> labels, Alert a, long endsAt) {
        ObjectNode n = JSON.createObjectNode();
        ObjectNode ln = n.putObject("labels");
        labels.forEach(ln::put);
        ObjectNode an = n.putObject("annotations");
        an.put("summary", String.format(Locale.ROOT, "%s %s %s: %s (expected %s)", a.service, a.endpoint, a.signal,
                number(a.value), number(a.expected)));
        an.put("description", String.format(Locale.ROOT,
                "%s detector on %s %s, signal %s: observed %s, expected %s (band %s..%s), anomaly score %s.%s",
                a.detector, a.service, a.endpoint, a.signal, number(a.value), number(a.expected), number(a.lower),
                number(a.upper), number(a.score), a.incidentId == null ? ""
                        : " Incident " + a.incidentId + (a.causedBy == null ? ": this service is the likely root cause."
                                : ": likely caused by " + a.causedBy + ".")));
        if (a.incidentId != null) an.put("root_cause", a.causedBy == null ? a.service : a.causedBy);
        if (runbookUrl != null) {
            an.put("runbook_url", runbookUrl.replace("{service}", enc(a.service)).replace("{signal}", enc(a.signal))
                    .replace("{detector}", enc(a.detector)));
        }
        n.put("startsAt", Instant.ofEpochMilli(a.startsAt).toString());
        n.put("endsAt", Instant.ofEpochMilli(endsAt).toString());
        if (generatorUrl != null) {
            n.put("generatorURL", generatorUrl.replaceAll("/+$", "") + "/app/discover#/?_a=(query:(language:kuery,"
                    + "query:'alert_id:%22" + a.alertId + "%22'))");
        }
        return n.toString();
    }

    private static void put(Map<String, String> l, String k, String v) {
        if (v != null && !v.isEmpty()) l.put(k, v);
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4g", v) : "n/a";
    }

    private static String enc(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
