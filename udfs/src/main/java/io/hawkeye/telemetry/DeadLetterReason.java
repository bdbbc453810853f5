package io.hawkeye.telemetry;

/**
 * Why a record went to the dead-letter topic. The {@link #code()} is what appears in the dead-letter JSON and in
 * the metric {@code hawkeye.deadLetters{reason=...}}; docs/telemetry.md lists each with an example.
 */
public enum DeadLetterReason {
    /** Not parseable as JSON (syntax error, trailing garbage, invalid UTF-8, empty record). */
    NOT_JSON("not_json"),
    /** Valid JSON but not an object, or an array element that is not an object. */
    NOT_OBJECT("not_object"),
    /** A required field is absent or null. */
    MISSING_FIELD("missing_field"),
    /** A required string field is empty or blank. */
    EMPTY_FIELD("empty_field"),
    /** A field has the wrong JSON type (e.g. a string where a number is expected). */
    WRONG_TYPE("wrong_type"),
    /** A number is NaN or +/-Infinity. */
    NON_FINITE("non_finite"),
    /** {@code duration_ms} is negative. */
    NEGATIVE_DURATION("negative_duration"),
    /** {@code ts} is not a valid RFC 3339 timestamp or epoch-milliseconds number. */
    INVALID_TIMESTAMP("invalid_timestamp"),
    /** {@code ts} lies further in the future than the configured skew allows. */
    FUTURE_TIMESTAMP("future_timestamp"),
    /** {@code status} is neither ok/error nor an HTTP status code 100..599. */
    INVALID_STATUS("invalid_status"),
    /** A span's {@code kind} is none of server, client, producer, consumer, internal. */
    INVALID_KIND("invalid_kind"),
    /** The record exceeds the configured size cap. */
    TOO_LARGE("too_large"),
    /** {@code type} is not span/metric, or absent and not inferable from the fields. */
    UNKNOWN_TYPE("unknown_type"),
    /** The event arrived after its window closed (watermark plus allowed lateness). */
    LATE("late"),
    /** Elasticsearch rejected the document (e.g. a mapping conflict). */
    ELASTICSEARCH_REJECTED("elasticsearch_rejected");

    private final String code;

    DeadLetterReason(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
