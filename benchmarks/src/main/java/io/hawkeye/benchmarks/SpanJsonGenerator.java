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
    private long index;

    public SpanJsonGenerator(long seed, double spansPerSecond) {
        this.rng = new SplittableRandom(seed);
        this.spansPerSecond = spansPerSecond;
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

    /** The JSON of the next span. */
    public SpanRecord next() {
        long ts = BASE.toEpochMilli() + (long) (index * 1000.0 / spansPerSecond) + rng.nextInt(200);
        index++;
        int s = rng.nextInt(SERVICES);
        int e = rng.nextInt(ENDPOINTS_PER_SERVICE);
        double duration = Math.exp(logMedian[s][e] + 0.7 * LatencyData.gaussian(rng));
        boolean error = rng.nextInt(100) == 0;
        boolean child = rng.nextInt(100) < 85;
        sb.setLength(0);
        sb.append("{\"type\":\"span\",\"ts\":").append(ts)
                .append(",\"service\":").append(serviceJson[s])
                .append(",\"endpoint\":").append(endpointJson[s][e])
                .append(",\"duration_ms\":");
        fixed3(sb, duration);
        sb.append(",\"status\":\"").append(error ? "error" : "ok").append('"');
        if (child) {
            sb.append(",\"caller\":").append(serviceJson[(s + 1 + rng.nextInt(SERVICES - 1)) % SERVICES]);
        }
        sb.append(",\"instance\":").append(instanceJson[s][rng.nextInt(INSTANCES_PER_SERVICE)]);
        sb.append(",\"trace_id\":\"");
        hex(sb, rng.nextLong());
        hex(sb, rng.nextLong());
        sb.append("\",\"span_id\":\"");
        hex(sb, rng.nextLong());
        sb.append('"');
        if (child) {
            sb.append(",\"parent_id\":\"");
            hex(sb, rng.nextLong());
            sb.append('"');
        }
        sb.append('}');
        return new SpanRecord(s, services[s], sb.toString().getBytes(StandardCharsets.UTF_8), ts);
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
