package io.hawkeye.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.RecordComponent;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one copy-with-changes of the configuration records: a config record {@code C} has a builder {@code B} whose
 * public fields are named as {@code C}'s components (and hold the defaults); {@link #with} fills a new builder
 * from the record, lets the caller change fields, and builds a new record through the canonical constructor, so
 * its validation runs. The fields are set and read by name, so a config needs no hand-written copy code.
 */
public final class RecordCopies {
    private RecordCopies() {}

    /** A copy of {@code record} with the changes {@code change} makes on a builder holding its components. */
    public static <C extends Record, B> C with(C record, Supplier<B> builder, Consumer<B> change) {
        B b = builder.get();
        try {
            for (RecordComponent rc : record.getClass().getRecordComponents()) {
                field(b, rc).set(b, rc.getAccessor().invoke(record));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName(), e);
        }
        change.accept(b);
        @SuppressWarnings("unchecked")
        Class<C> type = (Class<C>) record.getClass();
        return build(type, b);
    }

    /** The record of type {@code type} whose components are the same-named fields of {@code builder}. */
    public static <C extends Record> C build(Class<C> type, Object builder) {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = field(builder, components[i]).get(builder);
            }
            Constructor<C> canonical = type.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r; // the record's validation
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static Field field(Object builder, RecordComponent rc) throws NoSuchFieldException {
        Field f = builder.getClass().getField(rc.getName());
        if (f.getType() != rc.getType()) {
            throw new NoSuchFieldException(builder.getClass().getSimpleName() + "." + rc.getName() + " is a "
                    + f.getType().getSimpleName() + ", the component a " + rc.getType().getSimpleName());
        }
        return f;
    }
}
