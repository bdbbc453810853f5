package io.hawkeye.telemetry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A record that could not be used, with why and where it came from. Serialised by {@link #toJson()} as
 *
 * <pre>{"reason":"negative_duration","detail":"duration_ms is -3.0","source":{"topic":"telemetry","partition":2,
 * "offset":1234},"element_index":-1,"received_at":"2026-01-01T12:00:00.123Z","payload":"{...}"}</pre>
 *
 * The payload is the original record as UTF-8 text, or {@code payload_base64} when the bytes are not valid
 * UTF-8. Payloads above {@link #MAX_PAYLOAD_BYTES} are cut (and {@code payload_truncated} is true) so that a
 * dead letter for an oversized record still fits into a Kafka message.
 */
public class DeadLetter {
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    public String reason;
    public String detail;
    public String sourceTopic;
    public int sourcePartition = -1;
    public long sourceOffset = -1;
    /** Index of the offending element when the record was a JSON array, else -1. */
    public int elementIndex = -1;
    public long receivedAt;
    public byte[] payload;
    public boolean payloadTruncated;

    public DeadLetter() {}

    public static DeadLetter of(DeadLetterReason reason, String detail, String topic, int partition, long offset,
            long receivedAt, byte[] payload) {
        DeadLetter d = new DeadLetter();
        d.reason = reason.code();
        d.detail = detail;
        d.sourceTopic = topic;
        d.sourcePartition = partition;
        d.sourceOffset = offset;
        d.receivedAt = receivedAt;
        if (payload != null && payload.length > MAX_PAYLOAD_BYTES) {
            d.payload = Arrays.copyOf(payload, MAX_PAYLOAD_BYTES);
            d.payloadTruncated = true;
        } else {
            d.payload = payload;
        }
        return d;
    }

    /** Kafka key of the dead letter: the reason, so that one reason's records stay together. */
    public byte[] key() {
        return reason.getBytes(StandardCharsets.UTF_8);
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (payload == null ? 0 : payload.length));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("reason", reason);
            if (detail != null) g.writeStringField("detail", detail);
            g.writeObjectFieldStart("source");
            if (sourceTopic != null) g.writeStringField("topic", sourceTopic);
            g.writeNumberField("partition", sourcePartition);
            g.writeNumberField("offset", sourceOffset);
            g.writeEndObject();
            g.writeNumberField("element_index", elementIndex);
            g.writeStringField("received_at", Instant.ofEpochMilli(receivedAt).toString());
            if (payload != null) {
                String text = utf8OrNull(payload);
                if (text != null) {
                    g.writeStringField("payload", text);
                } else {
                    g.writeStringField("payload_base64", Base64.getEncoder().encodeToString(payload));
                }
            }
            if (payloadTruncated) g.writeBooleanField("payload_truncated", true);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String utf8OrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (!(o instanceof DeadLetter d)) return false;
        return sourcePartition == d.sourcePartition && sourceOffset == d.sourceOffset
                && elementIndex == d.elementIndex && receivedAt == d.receivedAt
                && payloadTruncated == d.payloadTruncated && Objects.equals(reason, d.reason)
                && Objects.equals(detail, d.detail) && Objects.equals(sourceTopic, d.sourceTopic)
                && Arrays.equals(payload, d.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(reason, detail, sourceTopic, sourcePartition, sourceOffset, elementIndex, receivedAt,
                Arrays.hashCode(payload), payloadTruncated);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + reason + ": " + detail + " @" + sourceTopic + "/" + sourcePartition + "/"
                + sourceOffset + "}";
    }
}
