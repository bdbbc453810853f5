package io.hawkeye.json;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdScalarSerializer;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * The one JSON codec of Hawkeye's output records (topics {@code hawkeye.*}, indices {@code hawkeye-*}): Jackson
 * data binding over the records' public fields, with the conventions of the Elasticsearch index templates in
 * {@code deploy/elasticsearch/templates}:
 * <ul>
 *   <li>names are snake_case ({@code p99Ms} → {@code p99_ms}); the field order is the record's
 *       {@code @JsonPropertyOrder}, else its declaration order;</li>
 *   <li>only public instance fields are properties (no getters, setters or constants), unless a member is
 *       annotated ({@code @JsonGetter}, {@code @JsonSetter});</li>
 *   <li>null fields are written as null, unless the field says otherwise ({@code @JsonInclude});</li>
 *   <li>non-finite doubles (NaN, ±∞) are written as null, JSON has no such numbers; null reads back as NaN;</li>
 *   <li>{@link EpochMillis} fields (epoch milliseconds in a {@code long}) are written as RFC 3339 instants
 *       ({@link Instant#toString()}, UTC, milliseconds only when non-zero) and read from either an RFC 3339
 *       string or a number of epoch milliseconds; {@link EpochMillisOrNull} writes 0 as null;</li>
 *   <li>{@code byte[]} is base64 (standard alphabet, padded, no line breaks);</li>
 *   <li>map entries are written sorted by key, so that a document does not depend on a map's iteration order;</li>
 *   <li>unknown fields are ignored when reading, so a reader tolerates a newer writer.</li>
 * </ul>
 * {@link #read} throws {@link IllegalArgumentException} for anything that is not a JSON object of the record.
 */
public final class RecordJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .visibility(PropertyAccessor.ALL, Visibility.NONE)
            .visibility(PropertyAccessor.FIELD, Visibility.PUBLIC_ONLY)
            .visibility(PropertyAccessor.CREATOR, Visibility.PUBLIC_ONLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .addModule(new SimpleModule("hawkeye-records")
                    .addSerializer(double.class, new FiniteOrNull())
                    .addSerializer(Double.class, new FiniteOrNull())
                    .addDeserializer(double.class, new NumberDeserializers.DoubleDeserializer(double.class, Double.NaN)))
            .build();

    private RecordJson() {}

    /** The JSON of a record, UTF-8. */
    public static byte[] write(Object record) {
        try {
            return MAPPER.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write " + record.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** @throws IllegalArgumentException when {@code json} is not a JSON object of a {@code type} */
    public static <T> T read(byte[] json, Class<T> type) {
        T record;
        try {
            record = MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a " + type.getSimpleName() + " JSON object: " + e.getMessage(), e);
        }
        if (record == null) throw new IllegalArgumentException("not a " + type.getSimpleName() + " JSON object: null");
        return record;
    }

    static final class FiniteOrNull extends StdScalarSerializer<Double> {
        FiniteOrNull() {
            super(Double.class);
        }

        @Override
        public void serialize(Double v, JsonGenerator g, SerializerProvider provider) throws IOException {
            if (Double.isFinite(v)) g.writeNumber(v.doubleValue());
            else g.writeNull();
        }
    }

    /** {@link EpochMillis}: RFC 3339. */
    static final class InstantWriter extends StdScalarSerializer<Long> {
        InstantWriter() {
            super(Long.class);
        }

        @Override
        public void serialize(Long epochMillis, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeString(Instant.ofEpochMilli(epochMillis).toString());
        }
    }

    /** {@link EpochMillisOrNull}: 0 (not set) is null, any other instant RFC 3339. */
    static final class InstantOrNullWriter extends StdScalarSerializer<Long> {
        InstantOrNullWriter() {
            super(Long.class);
        }

        @Override
        public void serialize(Long epochMillis, JsonGenerator g, SerializerProvider provider) throws IOException {
            if (epochMillis == 0) g.writeNull();
            else g.writeString(Instant.ofEpochMilli(epochMillis).toString());
        }
    }

    /** An RFC 3339 string or a number of epoch milliseconds; null is 0 (not set). */
    static final class InstantReader extends StdScalarDeserializer<Long> {
        InstantReader() {
            super(Long.class);
        }

        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) return p.getValueAsLong();
            if (t == JsonToken.VALUE_STRING) {
                String text = p.getText();
                try {
                    return Instant.parse(text).toEpochMilli();
                } catch (DateTimeException e) {
                    return (Long) ctxt.handleWeirdStringValue(Long.class, text, "not an RFC 3339 instant");
                }
            }
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }

        @Override
        public Long getNullValue(DeserializationContext ctxt) {
            return 0L;
        }
    }
}
