package io.hawkeye.jobs.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.hawkeye.jobs.elasticsearch.ElasticsearchClientFactory;
import io.hawkeye.jobs.elasticsearch.ElasticsearchConnectionConfig;
import io.hawkeye.jobs.testing.TestJobs;
import io.hawkeye.jobs.testing.TestServices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The {@code hawkeye-elasticsearch} table sink's changelog handling on the real Elasticsearch node: with a primary
 * key, DELETE rows delete the key's document (explicit deletes from a changelog stream, and the deletes a GROUP BY
 * with HAVING produces when a group stops qualifying); without a key, updating queries are rejected when planned.
 */
class ElasticsearchTableSinkITCase {

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = TestJobs.miniCluster();

    private StreamExecutionEnvironment streams;

    private StreamTableEnvironment env() {
        streams = StreamExecutionEnvironment.getExecutionEnvironment();
        streams.setParallelism(1);
        return StreamTableEnvironment.create(streams);
    }

    private static void createSink(StreamTableEnvironment t, String table, String index, boolean withKey) {
        t.executeSql("CREATE TEMPORARY TABLE " + table + " (k STRING, n BIGINT"
                + (withKey ? ", PRIMARY KEY (k) NOT ENFORCED" : "") + ") WITH ('connector' = 'hawkeye-elasticsearch',"
                + " 'hosts' = '" + TestServices.elasticsearchUrl() + "', 'index' = '" + index + "',"
                + " 'bulk.max-actions' = '3')");
    }

    /** Documents of the index, id → field n. */
    private static Map<String, Long> documents(String index) throws Exception {
        try (ElasticsearchClient es = ElasticsearchClientFactory.createClient(
                ElasticsearchConnectionConfig.builder().hosts(TestServices.elasticsearchUrl()).build())) {
            es.indices().refresh(r -> r.index(index));
            Map<String, Long> out = new TreeMap<>();
            for (var hit : es.search(s -> s.index(index).size(100), JsonNode.class).hits().hits()) {
                out.put(hit.id(), hit.source().get("n").asLong());
            }
            return out;
        }
    }

    @Test
    void deleteRowsDeleteTheKeysDocument() throws Exception {
        String index = "hawkeye-sql-es-delete-it-" + System.nanoTime();
        StreamTableEnvironment t = env();
        createSink(t, "es_out", index, true);
        List<Row> changelog = new ArrayList<>();
        changelog.add(Row.ofKind(RowKind.INSERT, "a", 1L));
        changelog.add(Row.ofKind(RowKind.INSERT, "b", 2L));
        changelog.add(Row.ofKind(RowKind.INSERT, "c", 3L));
        changelog.add(Row.ofKind(RowKind.UPDATE_AFTER, "a", 10L));
        changelog.add(Row.ofKind(RowKind.DELETE, "b", 2L));
        changelog.add(Row.ofKind(RowKind.DELETE, "never-written", 0L)); // 404 from Elasticsearch: already gone
        changelog.add(Row.ofKind(RowKind.DELETE, "c", 3L));
        changelog.add(Row.ofKind(RowKind.INSERT, "c", 30L)); // re-created after its delete
        changelog.add(Row.ofKind(RowKind.INSERT, "d", 4L));
        t.createTemporaryView("changes", t.fromChangelogStream(
                streams.fromData(changelog)
                        .returns(Types.ROW_NAMED(new String[] {"k", "n"}, Types.STRING, Types.LONG)),
                Schema.newBuilder().column("k", DataTypes.STRING().notNull()).column("n", DataTypes.BIGINT())
                        .primaryKey("k").build(),
                ChangelogMode.upsert()));
        t.executeSql("INSERT INTO es_out SELECT k, n FROM changes").await();

        assertThat(documents(index)).isEqualTo(Map.of("a", 10L, "c", 30L, "d", 4L));
    }

    @Test
    void groupsThatStopQualifyingAreDeleted() throws Exception {
        String index = "hawkeye-sql-es-having-it-" + System.nanoTime();
        StreamTableEnvironment t = env();
        createSink(t, "es_having", index, true);
        // final counts x 1, z 2 (kept); y 3 and w 4 were < 3 first (indexed), then stopped qualifying (deleted)
        t.executeSql("CREATE TEMPORARY VIEW calls AS SELECT * FROM (VALUES ('x'), ('y'), ('z'), ('y'), ('z'),"
                + " ('y'), ('w'), ('w'), ('w'), ('w')) AS v(k)");
        String insert = "INSERT INTO es_having SELECT k, COUNT(*) AS n FROM calls GROUP BY k HAVING COUNT(*) < 3";
        // The plan hands the sink I, UB, UA (the HAVING filter may drop an UPDATE_AFTER); deletes come as UB here.
        t.executeSql(insert).await();

        // y and w reached 3 calls: their documents (written at counts 1 and 2) must be gone
        assertThat(documents(index)).isEqualTo(Map.of("x", 1L, "z", 2L));
    }

    @Test
    void updatingQueryWithoutPrimaryKeyIsRejectedWhenPlanned() {
        StreamTableEnvironment t = env();
        createSink(t, "es_append", "hawkeye-sql-es-append-it", false);
        t.executeSql("CREATE TEMPORARY VIEW calls2 AS SELECT * FROM (VALUES ('x'), ('x')) AS v(k)");
        assertThatThrownBy(() -> t.explainSql("INSERT INTO es_append SELECT k, COUNT(*) FROM calls2 GROUP BY k"))
                .hasStackTraceContaining("doesn't support consuming update changes");
    }
}
