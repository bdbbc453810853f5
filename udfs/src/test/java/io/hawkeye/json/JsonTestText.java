package io.hawkeye.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** JSON as text for the wire-format tests here and in the job's tests (udfs test-jar). */
public final class JsonTestText {
    private static final Pattern RFC_3339 = Pattern.compile("\"(\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z)\"");

    private JsonTestText() {}

    public static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    public static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The same JSON with every RFC 3339 instant written as epoch milliseconds (a number). */
    public static byte[] withEpochMillis(String json) {
        Matcher m = RFC_3339.matcher(json);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Long.toString(Instant.parse(m.group(1)).toEpochMilli()));
        m.appendTail(out);
        assertThat(out.toString()).isNotEqualTo(json);
        return bytes(out.toString());
    }
}
