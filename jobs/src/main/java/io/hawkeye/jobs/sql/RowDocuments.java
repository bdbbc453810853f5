package io.hawkeye.jobs.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawkeye.jobs.elasticsearch.DocumentFunction;
import io.hawkeye.jobs.elasticsearch.ElasticsearchDocument;
import io.hawkeye.jobs.elasticsearch.WriteAction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.conversion.DataStructureConverter;
import org.apache.flink.table.data.conversion.DataStructureConverters;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.types.RowKind;

/**
 * Turns a table row into an Elasticsearch document for the {@code hawkeye-elasticsearch} connector.
 *
 * <ul>
 *   <li>Source: a JSON object with one field per column (column names as written); TIMESTAMP and TIMESTAMP_LTZ as
 *       ISO-8601 UTC strings ({@code 2026-01-01T12:00:00Z}; a TIMESTAMP without zone is read as UTC, so set
 *       {@code table.local-time-zone} to UTC), BYTES as base64 (like the DataStream job's {@code sketch}), arrays as
 *       JSON arrays.
 *   <li>Id: the primary-key columns' values joined with {@code |} (timestamps as epoch milliseconds, so an id is
 *       stable across time zones), or none (Elasticsearch generates one) without a primary key.
 *   <li>DELETE (and UPDATE_BEFORE, if the planner sends it) rows become a delete of the document with the key's id, in the index computed from
 *       the row (so an index placeholder should use a key column).
 *   <li>Index: the {@code index} option; {@code {column|pattern}} placeholders are replaced by the column's value
 *       formatted with a {@link DateTimeFormatter} pattern in UTC (TIMESTAMP, TIMESTAMP_LTZ or BIGINT epoch ms),
 *       e.g. {@code hawkeye-sql-window-stats-{window_start|yyyy.MM.dd}}.
 * </ul>
 */
final class RowDocuments implements DocumentFunction<RowData> {
    private static final long serialVersionUID = 1L;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^}|]+)\\|([^}]+)}");

    private final String[] names;
    private final DataType[] types;
    private final int[] keyIndexes;
    private final String indexPattern;
    private transient DataStructureConverter<Object, Object>[] converters;
    private transient RowData.FieldGetter[] getters;
    private transient ObjectMapper mapper;
    private transient List<Object[]> indexParts; // String literal or {fieldIndex, formatter}

    RowDocuments(List<String> names, List<DataType> types, int[] keyIndexes, String indexPattern) {
        this.names = names.toArray(String[]::new);
        this.types = types.toArray(DataType[]::new);
        this.keyIndexes = keyIndexes;
        this.indexPattern = indexPattern;
        parseIndex(); // validates at planning time
    }

    @Override
    public ElasticsearchDocument toDocument(RowData row) {
        if (mapper == null) init();
        ObjectNode json = mapper.createObjectNode();
        Object[] values = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            Object internal = getters[i].getFieldOrNull(row);
            values[i] = internal == null ? null : converters[i].toExternal(internal);
            json.set(names[i], mapper.valueToTree(jsonValue(values[i])));
        }
        String id = null;
        if (keyIndexes.length > 0) {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < keyIndexes.length; k++) {
                if (k > 0) sb.append('|');
                sb.append(idValue(values[keyIndexes[k]]));
            }
            id = sb.toString();
        }
        if (isRemoval(row)) {
            return ElasticsearchDocument.of(index(values), id, new byte[0]); // a delete sends no source
        }
        try {
            return ElasticsearchDocument.of(index(values), id, mapper.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * DELETE rows (upsert mode: the key's document is gone) delete the document; every other row indexes it. The sink
     * does not ask for UPDATE_BEFORE, but the planner still sends it when a later operator may drop the matching
     * UPDATE_AFTER (e.g. {@code HAVING COUNT(*) < 3} on an aggregate): it then removes the old version, and an
     * UPDATE_AFTER that follows indexes the new one.
     */
    @Override
    public WriteAction action(RowData row, WriteAction configured) {
        return isRemoval(row) ? WriteAction.DELETE : configured;
    }

    private static boolean isRemoval(RowData row) {
        return row.getRowKind() == RowKind.DELETE || row.getRowKind() == RowKind.UPDATE_BEFORE;
    }

    String index(Object[] values) {
        StringBuilder sb = new StringBuilder();
        for (Object[] part : indexParts) {
            if (part.length == 1) {
                sb.append(part[0]);
            } else {
                Object v = values[(Integer) part[0]];
                sb.append(v == null ? "null" : ((DateTimeFormatter) part[1]).format(instant(v)));
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private void init() {
        mapper = new ObjectMapper();
        converters = new DataStructureConverter[types.length];
        getters = new RowData.FieldGetter[types.length];
        for (int i = 0; i < types.length; i++) {
            converters[i] = (DataStructureConverter<Object, Object>) DataStructureConverters.getConverter(types[i]);
            converters[i].open(RowDocuments.class.getClassLoader());
            getters[i] = RowData.createFieldGetter(types[i].getLogicalType(), i);
        }
        parseIndex();
    }

    private void parseIndex() {
        List<Object[]> parts = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(indexPattern);
        int last = 0;
        while (m.find()) {
            parts.add(new Object[] {indexPattern.substring(last, m.start())});
            int field = List.of(names).indexOf(m.group(1).trim());
            if (field < 0) {
                throw new IllegalArgumentException("index pattern '" + indexPattern + "' refers to unknown column '"
                        + m.group(1) + "'; columns: " + List.of(names));
            }
            LogicalTypeRoot root = types[field].getLogicalType().getTypeRoot();
            if (root != LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE && root != LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE
                    && root != LogicalTypeRoot.BIGINT) {
                throw new IllegalArgumentException("index pattern column '" + m.group(1)
                        + "' must be TIMESTAMP, TIMESTAMP_LTZ or BIGINT (epoch ms), is " + types[field]);
            }
            parts.add(new Object[] {field, DateTimeFormatter.ofPattern(m.group(2)).withZone(ZoneOffset.UTC)});
            last = m.end();
        }
        parts.add(new Object[] {indexPattern.substring(last)});
        if (indexPattern.contains("{") && parts.size() == 1) {
            throw new IllegalArgumentException("index pattern '" + indexPattern
                    + "': placeholders are {column|dateFormat}, e.g. {window_start|yyyy.MM.dd}");
        }
        indexParts = parts;
    }

    private static Instant instant(Object v) {
        if (v instanceof Instant i) return i;
        if (v instanceof LocalDateTime t) return t.toInstant(ZoneOffset.UTC);
        return Instant.ofEpochMilli(((Number) v).longValue());
    }

    private static Object jsonValue(Object v) {
        if (v instanceof Instant || v instanceof LocalDateTime) return instant(v).toString();
        return v; // numbers, strings, booleans, byte[] (base64), arrays, BigDecimal
    }

    private static String idValue(Object v) {
        if (v == null) return "";
        if (v instanceof Instant || v instanceof LocalDateTime) return Long.toString(instant(v).toEpochMilli());
        return v.toString();
    }

    static boolean isTime(LogicalType t) {
        return t.getTypeRoot() == LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE
                || t.getTypeRoot() == LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE;
    }
}
