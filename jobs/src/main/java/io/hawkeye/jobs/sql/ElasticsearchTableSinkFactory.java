package io.hawkeye.jobs.sql;

import io.hawkeye.jobs.elasticsearch.ElasticsearchConnectionConfig;
import io.hawkeye.jobs.elasticsearch.ElasticsearchSink;
import io.hawkeye.jobs.elasticsearch.ElasticsearchSinkBuilder;
import io.hawkeye.jobs.elasticsearch.LoggingFailedDocumentHandler;
import io.hawkeye.jobs.elasticsearch.WriteAction;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.ReadableConfig;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.sink.SinkV2Provider;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.types.RowKind;

/**
 * Table connector {@code 'connector' = 'hawkeye-elasticsearch'}: writes rows to Elasticsearch through the same
 * {@link ElasticsearchSink} (AsyncSinkBase, bulk, retries) as the DataStream job.
 *
 * <p>Options: {@code hosts} (required, comma-separated http(s) URLs), {@code index} (required; fixed name or with
 * {@code {column|dateFormat}} placeholders, see {@link RowDocuments}), {@code api-key}, {@code username},
 * {@code password}, {@code ca-cert} (optional; unset ones come from {@code HAWKEYE_ES_*} environment variables as in
 * the DataStream sink — prefer the environment: table options can appear in plans), {@code bulk.max-actions}
 * (default 1000), {@code bulk.interval} (default 1 s).
 *
 * <p>Semantics: with a PRIMARY KEY the sink is an upsert sink: INSERT and UPDATE_AFTER rows index (replace) the
 * document whose id is the key columns joined with {@code |}; DELETE rows delete that document
 * ({@link WriteAction#DELETE}; deleting an absent document counts as done); UPDATE_BEFORE is not requested. Without
 * a primary key the sink is append-only (a query producing updates or deletes is rejected by the planner) and
 * Elasticsearch assigns ids (replays duplicate). Delivery is at least once; with a key, replays overwrite (or
 * delete again) the same documents.
 */
public class ElasticsearchTableSinkFactory implements DynamicTableSinkFactory {
    public static final String IDENTIFIER = "hawkeye-elasticsearch";

    public static final ConfigOption<String> HOSTS =
            text("hosts", "Comma-separated Elasticsearch URLs, e.g. http://localhost:9200.");
    public static final ConfigOption<String> INDEX =
            text("index", "Index name; {column|yyyy.MM.dd} placeholders format a time column in UTC.");
    public static final ConfigOption<String> API_KEY =
            text("api-key", "Encoded API key; default: env HAWKEYE_ES_API_KEY.");
    public static final ConfigOption<String> USERNAME =
            text("username", "Basic-auth user; default: env HAWKEYE_ES_USERNAME.");
    public static final ConfigOption<String> PASSWORD =
            text("password", "Basic-auth password; default: env HAWKEYE_ES_PASSWORD.");
    public static final ConfigOption<String> CA_CERT =
            text("ca-cert", "PEM CA certificate path for https; default: env HAWKEYE_ES_CA_CERT.");
    public static final ConfigOption<Integer> BULK_MAX_ACTIONS = ConfigOptions.key("bulk.max-actions").intType()
            .defaultValue(ElasticsearchSinkBuilder.DEFAULT_MAX_BATCH_ACTIONS).withDescription("Documents per bulk.");
    public static final ConfigOption<Duration> BULK_INTERVAL = ConfigOptions.key("bulk.interval").durationType()
            .defaultValue(ElasticsearchSinkBuilder.DEFAULT_MAX_TIME_IN_BUFFER)
            .withDescription("Longest time a document waits in the buffer.");

    /** A string option without default. */
    private static ConfigOption<String> text(String key, String description) {
        return ConfigOptions.key(key).stringType().noDefaultValue().withDescription(description);
    }

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(HOSTS, INDEX);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of(API_KEY, USERNAME, PASSWORD, CA_CERT, BULK_MAX_ACTIONS, BULK_INTERVAL);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        FactoryUtil.TableFactoryHelper helper = FactoryUtil.createTableFactoryHelper(this, context);
        helper.validate();
        ReadableConfig options = helper.getOptions();
        ResolvedSchema schema = context.getCatalogTable().getResolvedSchema();
        List<Column> columns = schema.getColumns().stream().filter(Column::isPhysical).toList();
        List<String> names = columns.stream().map(Column::getName).toList();
        int[] key = schema.getPrimaryKey().map(pk -> pk.getColumns().stream().mapToInt(names::indexOf).toArray())
                .orElse(new int[0]);
        ElasticsearchConnectionConfig.Builder conn = ElasticsearchConnectionConfig.builder().host(options.get(HOSTS));
        options.getOptional(API_KEY).ifPresent(conn::apiKey);
        options.getOptional(USERNAME).ifPresent(u -> conn.basicAuth(u, options.getOptional(PASSWORD).orElse("")));
        options.getOptional(CA_CERT).ifPresent(conn::caCertPath);
        RowDocuments documents = new RowDocuments(names,
                columns.stream().map(Column::getDataType).toList(), key, options.get(INDEX));
        return new Sink(conn.build().withEnvironmentDefaults(), documents, key.length > 0,
                options.get(BULK_MAX_ACTIONS), options.get(BULK_INTERVAL));
    }

    /** The planned sink; builds one {@link ElasticsearchSink} per job. */
    record Sink(ElasticsearchConnectionConfig connection, RowDocuments documents, boolean upsert, int maxActions,
            Duration interval) implements DynamicTableSink {

        @Override
        public ChangelogMode getChangelogMode(ChangelogMode requested) {
            if (!upsert) return ChangelogMode.insertOnly();
            return ChangelogMode.newBuilder().addContainedKind(RowKind.INSERT)
                    .addContainedKind(RowKind.UPDATE_AFTER).addContainedKind(RowKind.DELETE).build();
        }

        @Override
        public SinkRuntimeProvider getSinkRuntimeProvider(Context context) {
            ElasticsearchSink<RowData> sink = ElasticsearchSink.<RowData>builder()
                    .setConnectionConfig(connection)
                    .setDocumentFunction(documents)
                    .setWriteAction(WriteAction.INDEX)
                    .setMaxBatchActions(maxActions)
                    .setMaxTimeInBuffer(interval)
                    .setFailedDocumentHandler(new LoggingFailedDocumentHandler())
                    // Versions of one key (index, update, delete) must reach Elasticsearch in order: with several
                    // bulk requests in flight a later version could be overtaken by an older one.
                    .setMaxInFlightRequests(upsert ? 1 : ElasticsearchSinkBuilder.DEFAULT_MAX_IN_FLIGHT_REQUESTS)
                    .build();
            return SinkV2Provider.of(sink);
        }

        @Override
        public DynamicTableSink copy() {
            return new Sink(connection, documents, upsert, maxActions, interval);
        }

        @Override
        public String asSummaryString() {
            return "Hawkeye Elasticsearch (" + connection.hosts() + ")"; // never the credentials
        }
    }
}
