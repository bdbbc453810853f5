package io.hawkeye.telemetry;

import com.fasterxml.jackson.annotation.JsonGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSetter;
import io.hawkeye.json.EpochMillis;
import io.hawkeye.json.OutputRecord;
import io.hawkeye.json.RecordJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record that could not be used, with why and where it came from. Serialised by {@link #toJson()} as
 *
 * <pre>{"reason":"negative_duration","detail":"duration_ms is -3.0","source":{"topic":"telemetry","partition":2,
 * "offset":1234},"element_index":-1,"received_at":"2026-01-01T12:00:00.123Z","payload":"{...}"}</pre>
 *
 * The payload is the original record as UTF-8 text, or {@code payload_base64} when the bytes are not valid
 * UTF-8. Payloads above {@link #MAX_PAYLOAD_BYTES} are cut (and {@code payload_truncated} is true) so that a
 * dead letter for an oversized record still fits into a Kafka message. Absent values (detail, topic, payload)
 * are left out, and so is {@code payload_truncated} when false.
 */
@JsonPropertyOrder({"reason", "detail", "source", "element_index", "received_at", "payload", "payload_base64",
    "payload_truncated"})
public class DeadLetter extends OutputRecord {
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    public String reason;
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public String detail;
    @JsonIgnore public String sourceTopic;
    @JsonIgnore public int sourcePartition = -1;
    @JsonIgnore public long sourceOffset = -1;
    /** Index of the offending element when the record was a JSON array, else -1. */
    public int elementIndex = -1;
    @EpochMillis public long receivedAt;
    @JsonIgnore public byte[] payload;
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
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

    /** @throws IllegalArgumentException on malformed JSON */
    public static DeadLetter fromJson(byte[] json) {
        return RecordJson.read(json, DeadLetter.class);
    }

    /** The JSON form of the source position: {@code "source":{"topic":…,"partition":…,"offset":…}}. */
    @JsonPropertyOrder({"topic", "partition", "offset"})
    static final class Source {
        @JsonInclude(JsonInclude.Include.NON_NULL)
        public String topic;
        public int partition = -1;
        public long offset = -1;
    }

    @JsonGetter("source")
    private Source jsonSource() {
        Source s = new Source();
        s.topic = sourceTopic;
        s.partition = sourcePartition;
        s.offset = sourceOffset;
        return s;
    }

    @JsonSetter("source")
    private void jsonSource(Source s) {
        if (s == null) return;
        sourceTopic = s.topic;
        sourcePartition = s.partition;
        sourceOffset = s.offset;
    }

    // The payload is written as text when it is valid UTF-8, else as base64 (one of the two getters is null).
    @JsonGetter("payload")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private String jsonPayload() {
        return payload == null ? null : utf8OrNull(payload);
    }

    @JsonSetter("payload")
    private void jsonPayload(String text) {
        if (text != null) payload = text.getBytes(StandardCharsets.UTF_8);
    }

    @JsonGetter("payload_base64")
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private byte[] jsonPayloadBase64() {
        return payload == null || utf8OrNull(payload) != null ? null : payload;
    }

    @JsonSetter("payload_base64")
    private void jsonPayloadBase64(byte[] bytes) {
        if (bytes != null) payload = bytes;
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
    public String toString() {
        return "DeadLetter{" + reason + ": " + detail + " @" + sourceTopic + "/" + sourcePartition + "/"
                + sourceOffset + "}";
    }
}
