package io.hawkeye.json;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A {@code long} of epoch milliseconds that {@link RecordJson} writes as an RFC 3339 instant (e.g.
 * {@code "2026-01-05T00:00:00.123Z"}) and reads from such a string or from a number of epoch milliseconds.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@JacksonAnnotationsInside
@JsonSerialize(using = RecordJson.InstantWriter.class)
@JsonDeserialize(using = RecordJson.InstantReader.class)
public @interface EpochMillis {}
