package io.hawkeye.json;

/**
 * An output record of Hawkeye (a topic {@code hawkeye.*}, an index {@code hawkeye-*}): its JSON is
 * {@link RecordJson}'s, its equality that of a {@link ValueRecord} (every field, also those not in the JSON). A
 * subclass adds only its {@code static fromJson(byte[])}, which reads with {@link RecordJson#read}.
 */
public abstract class OutputRecord extends ValueRecord {
    /** The record's JSON, UTF-8, as {@link RecordJson#write} writes it. */
    public byte[] toJson() {
        return RecordJson.write(this);
    }
}
