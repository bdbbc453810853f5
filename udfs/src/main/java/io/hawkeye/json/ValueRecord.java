package io.hawkeye.json;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Value semantics for Hawkeye's mutable records (Flink POJOs): {@link #equals} is "same class and the same value in
 * every instance field", whether or not the field is in the record's JSON; {@link #hashCode} and {@link #toString}
 * are over the same fields. Arrays compare by content, doubles as {@link Double#compare} (NaN equals NaN). The
 * class has no fields of its own, so a subclass stays a Flink POJO.
 */
public abstract class ValueRecord {
    private static final ClassValue<Field[]> FIELDS = new ClassValue<>() {
        @Override
        protected Field[] computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c != ValueRecord.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    int m = f.getModifiers();
                    if (Modifier.isStatic(m) || Modifier.isTransient(m) || f.isSynthetic()) continue;
                    f.setAccessible(true);
                    fields.add(f);
                }
            }
            return fields.toArray(new Field[0]);
        }
    };

    private Object[] values() {
        Field[] fields = FIELDS.get(getClass());
        Object[] values = new Object[fields.length];
        try {
            for (int i = 0; i < fields.length; i++) values[i] = fields[i].get(this);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        if (o == null || o.getClass() != getClass()) return false;
        return Arrays.deepEquals(values(), ((ValueRecord) o).values());
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(values());
    }

    /** {@code Name{field=value, ...}} over every instance field. */
    @Override
    public String toString() {
        Field[] fields = FIELDS.get(getClass());
        Object[] values = values();
        StringBuilder s = new StringBuilder(getClass().getSimpleName()).append('{');
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) s.append(", ");
            s.append(fields[i].getName()).append('=').append(text(values[i]));
        }
        return s.append('}').toString();
    }

    private static String text(Object value) {
        if (value == null || !value.getClass().isArray()) return String.valueOf(value);
        String s = Arrays.deepToString(new Object[] {value});
        return s.substring(1, s.length() - 1);
    }
}
