package io.hawkeye.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.Serializable;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates telemetry records (one JSON object, or a JSON array of objects, per Kafka record) into {@link Span}s
 * and {@link MetricSample}s; everything else becomes a {@link DeadLetter} with a {@link DeadLetterReason}. It
 * never throws on data. The rules are listed in docs/telemetry.md.
 *
 * <p>It uses Jackson's streaming parser rather than a tree model: parsing is the most expensive step of the
 * whole pipeline, and the streaming parser is about twice as fast and allocates only the strings it keeps.
 * The events of an array are handed out only once the whole record has parsed, so a syntax error late in an
 * array dead-letters the record once instead of emitting half of it. Not thread-safe; one per task.
 */
public final class TelemetryParser {

    /** Parser limits. {@code maxFutureSkewMillis <= 0} disables the future check. */
    public record Config(int maxRecordBytes, long maxFutureSkewMillis) implements Serializable {
        public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
        public static final long DEFAULT_MAX_FUTURE_SKEW_MILLIS = 5 * 60_000L;

        public static Config defaults() {
            return new Config(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_FUTURE_SKEW_MILLIS);
        }
    }

    /** Receives the outcome of one record. */
    public interface Handler {
        void span(Span span);

        void metric(MetricSample metric);

        void deadLetter(DeadLetter deadLetter);
    }

    private static final JsonFactory JSON = JsonFactory.builder()
            // NaN/Infinity must parse so that they are reported as non_finite, not as a syntax error.
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    // Known fields, as slots of one reusable array.
    private static final int F_TYPE = 0, F_TS = 1, F_SERVICE = 2, F_ENDPOINT = 3, F_DURATION = 4, F_STATUS = 5,
            F_CALLER = 6, F_INSTANCE = 7, F_TRACE = 8, F_SPAN = 9, F_PARENT = 10, F_NAME = 11, F_VALUE = 12,
            F_UNIT = 13, F_KIND = 14, F_CALLEE = 15, N_FIELDS = 16;
    private static final String[] FIELD_NAMES = {"type", "ts", "service", "endpoint", "duration_ms", "status",
        "caller", "instance", "trace_id", "span_id", "parent_id", "name", "value", "unit", "kind", "callee"};

    private final Config config;
    private final Field[] fields = new Field[N_FIELDS];
    private final List<Object> pending = new ArrayList<>();

    public TelemetryParser(Config config) {
        this.config = config;
        for (int i = 0; i < N_FIELDS; i++) fields[i] = new Field();
    }

    /** Parses one Kafka record. {@code nowMillis} is the wall clock used for the future-skew check. */
    public void parse(byte[] payload, String topic, int partition, long offset, long nowMillis, Handler handler) {
        pending.clear();
        if (payload == null || payload.length == 0) {
            handler.deadLetter(DeadLetter.of(DeadLetterReason.NOT_JSON, "empty record", topic, partition, offset,
                    nowMillis, payload));
            return;
        }
        if (payload.length > config.maxRecordBytes()) {
            handler.deadLetter(DeadLetter.of(DeadLetterReason.TOO_LARGE,
                    "record is " + payload.length + " bytes, the cap is " + config.maxRecordBytes(), topic,
                    partition, offset, nowMillis, payload));
            return;
        }
        try (JsonParser p = JSON.createParser(payload)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_OBJECT) {
                pending.add(parseObject(p, nowMillis));
            } else if (first == JsonToken.START_ARRAY) {
                int index = 0;
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) throw new JsonParseException(p, "unexpected end of input in array");
                    if (t == JsonToken.START_OBJECT) {
                        Object r = parseObject(p, nowMillis);
                        if (r instanceof Failure f) f.elementIndex = index;
                        pending.add(r);
                    } else {
                        p.skipChildren();
                        Failure f = new Failure(DeadLetterReason.NOT_OBJECT, "array element is " + describe(t));
                        f.elementIndex = index;
                        pending.add(f);
                    }
                    index++;
                }
            } else {
                handler.deadLetter(DeadLetter.of(DeadLetterReason.NOT_OBJECT,
                        "record is " + describe(first) + ", expected an object or an array of objects", topic,
                        partition, offset, nowMillis, payload));
                return;
            }
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "trailing content after the JSON value");
            }
        } catch (StreamReadException e) {
            handler.deadLetter(DeadLetter.of(DeadLetterReason.NOT_JSON, e.getOriginalMessage(), topic, partition,
                    offset, nowMillis, payload));
            return;
        } catch (IOException | RuntimeException e) {
            // Jackson reports invalid UTF-8 and a few other malformed inputs as IOExceptions or
            // IllegalArgumentExceptions; they are bad input, never a reason to fail the task.
            handler.deadLetter(DeadLetter.of(DeadLetterReason.NOT_JSON, String.valueOf(e.getMessage()), topic,
                    partition, offset, nowMillis, payload));
            return;
        }
        for (Object r : pending) {
            if (r instanceof Span s) {
                s.source(topic, partition, offset);
                handler.span(s);
            } else if (r instanceof MetricSample m) {
                m.source(topic, partition, offset);
                handler.metric(m);
            } else {
                Failure f = (Failure) r;
                DeadLetter d = DeadLetter.of(f.reason, f.detail, topic, partition, offset, nowMillis, payload);
                d.elementIndex = f.elementIndex;
                handler.deadLetter(d);
            }
        }
        pending.clear();
    }

    /** Parses the object whose START_OBJECT was just read; returns a Span, a MetricSample or a Failure. */
    private Object parseObject(JsonParser p, long nowMillis) throws IOException {
        for (Field f : fields) f.clear();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            int slot = slotOf(p.currentName());
            JsonToken v = p.nextToken();
            if (slot < 0) {
                p.skipChildren(); // unknown fields are ignored
                continue;
            }
            Field f = fields[slot];
            f.token = v;
            switch (v) {
                case VALUE_STRING -> f.text = p.getText();
                case VALUE_NUMBER_INT -> {
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        f.token = JsonToken.VALUE_NUMBER_FLOAT; // out of long range: keep as a double
                        f.number = p.getDoubleValue();
                    } else {
                        f.longValue = p.getLongValue();
                        f.number = f.longValue;
                    }
                }
                case VALUE_NUMBER_FLOAT -> f.number = p.getDoubleValue();
                case START_OBJECT, START_ARRAY -> p.skipChildren();
                default -> { }
            }
        }
        if (t != JsonToken.END_OBJECT) throw new JsonParseException(p, "malformed object");
        return validate(nowMillis);
    }

    private Object validate(long nowMillis) {
        Field type = fields[F_TYPE];
        boolean span;
        if (type.present()) {
            if (type.token != JsonToken.VALUE_STRING) return wrongType("type", "a string", type);
            String ty = type.text.trim();
            if (ty.equalsIgnoreCase("span")) span = true;
            else if (ty.equalsIgnoreCase("metric")) span = false;
            else return new Failure(DeadLetterReason.UNKNOWN_TYPE, "type '" + ty + "' is neither span nor metric");
        } else if (fields[F_DURATION].present()) {
            span = true;
        } else if (fields[F_NAME].present() && fields[F_VALUE].present()) {
            span = false;
        } else {
            return new Failure(DeadLetterReason.UNKNOWN_TYPE,
                    "no type field, and neither duration_ms (span) nor name+value (metric) present");
        }

        Object tsOrFailure = timestamp(nowMillis);
        if (tsOrFailure instanceof Failure) return tsOrFailure;
        long ts = (Long) tsOrFailure;

        Object service = requiredString(F_SERVICE);
        if (service instanceof Failure) return service;

        if (span) {
            Object endpoint = requiredString(F_ENDPOINT);
            if (endpoint instanceof Failure) return endpoint;
            Object duration = requiredNumber(F_DURATION);
            if (duration instanceof Failure) return duration;
            double d = (Double) duration;
            if (d < 0) return new Failure(DeadLetterReason.NEGATIVE_DURATION, "duration_ms is " + d);
            Span s = new Span(ts, (String) service, (String) endpoint, d, false);
            Object status = status(s);
            if (status instanceof Failure) return status;
            for (int slot : new int[] {F_CALLER, F_INSTANCE, F_TRACE, F_SPAN, F_PARENT, F_KIND, F_CALLEE}) {
                Object o = optionalString(slot);
                if (o instanceof Failure) return o;
            }
            String kind = (String) optionalString(F_KIND);
            if (kind != null) {
                kind = kind.toLowerCase(java.util.Locale.ROOT);
                if (!Span.KINDS.contains(kind)) {
                    return new Failure(DeadLetterReason.INVALID_KIND, "kind '" + abbreviate(kind)
                            + "' is none of " + String.join(", ", Span.KINDS));
                }
                s.kind = kind;
            }
            s.callee = (String) optionalString(F_CALLEE);
            s.caller = (String) optionalString(F_CALLER);
            s.instance = (String) optionalString(F_INSTANCE);
            s.traceId = (String) optionalString(F_TRACE);
            s.spanId = (String) optionalString(F_SPAN);
            s.parentId = (String) optionalString(F_PARENT);
            return s;
        } else {
            Object instance = requiredString(F_INSTANCE);
            if (instance instanceof Failure) return instance;
            Object name = requiredString(F_NAME);
            if (name instanceof Failure) return name;
            Object value = requiredNumber(F_VALUE);
            if (value instanceof Failure) return value;
            Object unit = optionalString(F_UNIT);
            if (unit instanceof Failure) return unit;
            MetricSample m = new MetricSample(ts, (String) service, (String) instance, (String) name, (Double) value);
            m.unit = (String) unit;
            return m;
        }
    }

    private Object timestamp(long nowMillis) {
        Field f = fields[F_TS];
        if (!f.present()) return new Failure(DeadLetterReason.MISSING_FIELD, "ts is missing");
        long ts;
        switch (f.token) {
            case VALUE_NUMBER_INT -> ts = f.longValue;
            case VALUE_NUMBER_FLOAT -> {
                if (!Double.isFinite(f.number)) return new Failure(DeadLetterReason.NON_FINITE, "ts is " + f.number);
                ts = (long) Math.floor(f.number);
            }
            case VALUE_STRING -> {
                String text = f.text.trim();
                if (text.isEmpty()) return new Failure(DeadLetterReason.EMPTY_FIELD, "ts is empty");
                try {
                    ts = Instant.from(DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text)).toEpochMilli();
                } catch (DateTimeParseException | ArithmeticException e) {
                    return new Failure(DeadLetterReason.INVALID_TIMESTAMP,
                            "ts '" + abbreviate(text) + "' is not RFC 3339 (e.g. 2026-01-01T12:00:00.000Z)");
                }
            }
            default -> {
                return wrongType("ts", "an RFC 3339 string or epoch milliseconds", f);
            }
        }
        if (ts < 0) return new Failure(DeadLetterReason.INVALID_TIMESTAMP, "ts " + ts + " is before 1970");
        if (config.maxFutureSkewMillis() > 0 && ts > nowMillis + config.maxFutureSkewMillis()) {
            return new Failure(DeadLetterReason.FUTURE_TIMESTAMP, "ts " + Instant.ofEpochMilli(ts) + " is "
                    + (ts - nowMillis) + " ms ahead of the clock; the allowed skew is "
                    + config.maxFutureSkewMillis() + " ms");
        }
        return ts;
    }

    private Object status(Span s) {
        Field f = fields[F_STATUS];
        if (!f.present()) return new Failure(DeadLetterReason.MISSING_FIELD, "status is missing");
        int code;
        switch (f.token) {
            case VALUE_NUMBER_INT -> code = f.longValue >= 100 && f.longValue <= 599 ? (int) f.longValue : -1;
            case VALUE_STRING -> {
                String text = f.text.trim();
                if (text.isEmpty()) return new Failure(DeadLetterReason.EMPTY_FIELD, "status is empty");
                if (text.equalsIgnoreCase("ok")) return s;
                if (text.equalsIgnoreCase("error")) {
                    s.error = true;
                    return s;
                }
                code = parseHttpCode(text);
            }
            default -> {
                return wrongType("status", "ok, error or an HTTP status code", f);
            }
        }
        if (code < 0) {
            return new Failure(DeadLetterReason.INVALID_STATUS, "status '" + (f.text != null ? abbreviate(f.text)
                    : f.longValue) + "' is neither ok/error nor an HTTP status code 100..599");
        }
        s.statusCode = code;
        s.error = code >= 500;
        return s;
    }

    private static int parseHttpCode(String text) {
        if (text.length() != 3) return -1;
        int code = 0;
        for (int i = 0; i < 3; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            code = code * 10 + (c - '0');
        }
        return code >= 100 && code <= 599 ? code : -1;
    }

    private Object requiredString(int slot) {
        Field f = fields[slot];
        String name = FIELD_NAMES[slot];
        if (!f.present()) return new Failure(DeadLetterReason.MISSING_FIELD, name + " is missing");
        if (f.token != JsonToken.VALUE_STRING) return wrongType(name, "a string", f);
        String text = f.text.trim();
        if (text.isEmpty()) return new Failure(DeadLetterReason.EMPTY_FIELD, name + " is empty");
        return text;
    }

    /** An optional string: absent, null and blank all mean absent. */
    private Object optionalString(int slot) {
        Field f = fields[slot];
        if (!f.present()) return null;
        if (f.token != JsonToken.VALUE_STRING) return wrongType(FIELD_NAMES[slot], "a string", f);
        String text = f.text.trim();
        return text.isEmpty() ? null : text;
    }

    private Object requiredNumber(int slot) {
        Field f = fields[slot];
        String name = FIELD_NAMES[slot];
        if (!f.present()) return new Failure(DeadLetterReason.MISSING_FIELD, name + " is missing");
        if (f.token != JsonToken.VALUE_NUMBER_INT && f.token != JsonToken.VALUE_NUMBER_FLOAT) {
            return wrongType(name, "a number", f);
        }
        if (!Double.isFinite(f.number)) return new Failure(DeadLetterReason.NON_FINITE, name + " is " + f.number);
        return f.number;
    }

    private static Failure wrongType(String name, String expected, Field f) {
        return new Failure(DeadLetterReason.WRONG_TYPE, name + " must be " + expected + ", got " + describe(f.token));
    }

    private static String describe(JsonToken t) {
        if (t == null) return "nothing";
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    private static int slotOf(String name) {
        return switch (name) {
            case "type" -> F_TYPE;
            case "ts" -> F_TS;
            case "service" -> F_SERVICE;
            case "endpoint" -> F_ENDPOINT;
            case "duration_ms" -> F_DURATION;
            case "status" -> F_STATUS;
            case "caller" -> F_CALLER;
            case "instance" -> F_INSTANCE;
            case "trace_id" -> F_TRACE;
            case "span_id" -> F_SPAN;
            case "parent_id" -> F_PARENT;
            case "name" -> F_NAME;
            case "value" -> F_VALUE;
            case "unit" -> F_UNIT;
            case "kind" -> F_KIND;
            case "callee" -> F_CALLEE;
            default -> -1;
        };
    }

    /** One known field's raw value; JSON null counts as absent. */
    private static final class Field {
        JsonToken token;
        String text;
        double number;
        long longValue;

        void clear() {
            token = null;
            text = null;
        }

        boolean present() {
            return token != null && token != JsonToken.VALUE_NULL;
        }
    }

    private static final class Failure {
        final DeadLetterReason reason;
        final String detail;
        int elementIndex = -1;

        Failure(DeadLetterReason reason, String detail) {
            this.reason = reason;
            this.detail = detail;
        }
    }
}
