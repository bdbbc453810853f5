package io.hawkeye.json;

import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Like {@link EpochMillis}, for an instant that may not have happened yet: 0 (not set) is written as null, and
 * null reads back as 0.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
@JacksonAnnotationsInside
@JsonSerialize(using = RecordJson.InstantOrNullWriter.class)
@JsonDeserialize(using = RecordJson.InstantReader.class)
public @interface EpochMillisOrNull {}
