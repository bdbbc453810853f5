package io.hawkeye.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;

/**
 * A fast, deterministic source of span records in exactly the JSON shape the simulator emits (same fields,
 * same order, {@code duration_ms} with three decimals, 32-hex trace ids, 16-hex span ids): 50 services with 4
 * endpoints each (200 endpoint series), 3 instances per service, lognormal durations with a per-endpoint
 * median between 3 and 120 ms, 1% errors, a caller and parent on 85% of spans.
 *
 * <p>With a client-span share {@code c} > 0, that share of the spans with a caller is preceded by the caller's
 * client span of the same call ({@code kind: client}, {@code callee}, its {@code span_id} the child's
 * {@code parent_id}, 0–2 ms longer than the child): an extra record, counted by {@link #clientSpans()}.
 *
 * <p>Event time advances at {@code spansPerSecond} from {@link #BASE} with up to 200 ms of jitter, well inside
 * the job's default 5 s out-of-orderness, so no event is late. The simulator itself would do (and emits the
 * same shape), but it also models queues and call graphs and so produces only a few hundred thousand spans per
 * second; this generator keeps the preload of millions of events short.
 */
public final class SpanJsonGenerator {
    public static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    public static final int SERVICES = 50;
    public static final int ENDPOINTS_PER_SERVICE = 4;
    public static final int INSTANCES_PER_SERVICE = 3;

    private static final String[] NAMES = {"frontend", "checkout", "cart", "catalog", "payment", "shipping",
        "currency", "email", "recommendation", "ads", "auth", "users", "inventory", "pricing", "search", "reviews",
        "orders", "notifications", "fraud", "tax", "loyalty", "gateway", "sessions", "media", "geo"};
    private static final String[] ROUTES = {"GET /api/%s", "GET /api/%s/{id}", "POST /api/%s", "PUT /api/%s/{id}"};
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /** One record: Kafka key (service), partition (by service, balanced), value (UTF-8 JSON), event time. */
    public record SpanRecord(int serviceIndex, String key, byte[] value, long ts) {}

    private final SplittableRandom rng;
    private final double spansPerSecond;
    private final String[] services = new String[SERVICES];
    private final String[] serviceJson = new String[SERVICES];
    private final String[][] endpointJson = new String[SERVICES][ENDPOINTS_PER_SERVICE];
    private final double[][] logMedian = new double[SERVICES][ENDPOINTS_PER_SERVICE];
    private final String[][] instanceJson = new String[SERVICES][INSTANCES_PER_SERVICE];
    private final StringBuilder sb = new StringBuilder(320);
    private final double clientSpanShare;
    private long index;
    private long clientSpans;
    private SpanRecord pending;

    public SpanJsonGenerator(long seed, double spansPerSecond) {
        this(seed, spansPerSecond, 0);
    }

    public SpanJsonGenerator(long seed, double spansPerSecond, double clientSpanShare) {
        this.rng = new SplittableRandom(seed);
        this.spansPerSecond = spansPerSecond;
        this.clientSpanShare = clientSpanShare;
        for (int s = 0; s < SERVICES; s++) {
            String name = NAMES[s % NAMES.length] + (s >= NAMES.length ? "-internal" : "");
            services[s] = name;
            serviceJson[s] = '"' + name + '"';
            for (int e = 0; e < ENDPOINTS_PER_SERVICE; e++) {
                endpointJson[s][e] = '"' + String.format(ROUTES[e], name) + '"';
                logMedian[s][e] = Math.log(3 + (s * 37 + e * 11) % 118);
            }
            for (int i = 0; i < INSTANCES_PER_SERVICE; i++) {
                instanceJson[s][i] = '"' + name + '-' + i + '"';
            }
        }
    }

    /** Client spans generated so far. */
    public long clientSpans() {
        return clientSpans;
    }

    /** The JSON of the next span (with a client-span share, a call's client span comes before its child). */
    public SpanRecord next() {
        if (pending != null) {
            SpanRecord r = pending;
            pending = null;
            return r;
        }
        long ts = BASE.toEpochMilli() + (long) (index * 1000.0 / spansPerSecond) + rng.nextInt(200);
        index++;
        int s = rng.nextInt(SERVICES);
        int e = rng.nextInt(ENDPOINTS_PER_SERVICE);
        double duration = Math.exp(logMedian[s][e] + 0.7 * LatencyData.gaussian(rng));
        boolean error = rng.nextInt(100) == 0;
        boolean child = rng.nextInt(100) < 85;
        int caller = child ? (s + 1 + rng.nextInt(SERVICES - 1)) % SERVICES : -1;
        sb.setLength(0);
        sb.append("{\"type\":\"span\",\"ts\":").append(ts)
                .append(",\"service\":").append(serviceJson[s])
                .append(",\"endpoint\":").append(endpointJson[s][e])
                .append(",\"duration_ms\":");
        fixed3(sb, duration);
        sb.append(",\"status\":\"").append(error ? "error" : "ok").append('"');
        if (child) {
            sb.append(",\"caller\":").append(serviceJson[caller]);
        }
        sb.append(",\"instance\":").append(instanceJson[s][rng.nextInt(INSTANCES_PER_SERVICE)]);
        sb.append(",\"trace_id\":\"");
        int traceAt = sb.length();
        hex(sb, rng.nextLong());
        hex(sb, rng.nextLong());
        String traceId = sb.substring(traceAt);
        sb.append("\",\"span_id\":\"");
        hex(sb, rng.nextLong());
        sb.append('"');
        String parentId = null;
        if (child) {
            sb.append(",\"parent_id\":\"");
            int at = sb.length();
            hex(sb, rng.nextLong());
            parentId = sb.substring(at);
            sb.append('"');
        }
        sb.append('}');
        SpanRecord span = new SpanRecord(s, services[s], sb.toString().getBytes(StandardCharsets.UTF_8), ts);
        if (!child || clientSpanShare <= 0 || rng.nextDouble() >= clientSpanShare) return span;
        // The caller's client span of this call: starts a moment earlier, lasts 0-2 ms longer.
        sb.setLength(0);
        sb.append("{\"type\":\"span\",\"kind\":\"client\",\"ts\":").append(ts - 1)
                .append(",\"service\":").append(serviceJson[caller])
                .append(",\"endpoint\":").append(endpointJson[s][e])
                .append(",\"duration_ms\":");
        fixed3(sb, duration + 2 * rng.nextDouble());
        sb.append(",\"status\":\"").append(error ? "error" : "ok").append('"');
        sb.append(",\"callee\":").append(serviceJson[s]);
        sb.append(",\"instance\":").append(instanceJson[caller][rng.nextInt(INSTANCES_PER_SERVICE)]);
        sb.append(",\"trace_id\":\"").append(traceId);
        sb.append("\",\"span_id\":\"").append(parentId).append("\"}");
        clientSpans++;
        pending = span;
        return new SpanRecord(caller, services[caller], sb.toString().getBytes(StandardCharsets.UTF_8), ts - 1);
    }

    private static void fixed3(StringBuilder sb, double v) {
        long scaled = Math.round(v * 1000);
        sb.append(scaled / 1000).append('.');
        long frac = scaled % 1000;
        if (frac < 100) sb.append('0');
        if (frac < 10) sb.append('0');
        sb.append(frac);
    }

    private static void hex(StringBuilder sb, long v) {
        for (int shift = 60; shift >= 0; shift -= 4) {
            sb.append(HEX[(int) (v >>> shift) & 0xF]);
        }
    }
}
