package io.hawkeye.jobs.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs composable index templates ({@code PUT _index_template/<name>}) from JSON files, the
 * template name being the file name without {@code .json}. Templates must exist before the first
 * document of a daily index arrives, otherwise Elasticsearch creates that index with dynamic
 * mappings; run this at job start-up (it is idempotent: PUT replaces the template, existing indices
 * keep their mappings until the next day's index is created).
 *
 * <p>Shipped templates live in {@code deploy/elasticsearch/templates}.
 */
public final class IndexTemplates {

    private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);

    private IndexTemplates() {}

    /** Installs every {@code *.json} in {@code dirOrFile} (or that one file); returns the names. */
    public static List<String> install(ElasticsearchConnectionConfig config, Path dirOrFile)
            throws IOException {
        try (ElasticsearchClient client = ElasticsearchClientFactory.createClient(config)) {
            return install(client, dirOrFile);
        }
    }

    public static List<String> install(ElasticsearchClient client, Path dirOrFile) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dirOrFile)) {
            try (Stream<Path> listing = Files.list(dirOrFile)) {
                listing.filter(p -> p.getFileName().toString().endsWith(".json"))
                        .sorted()
                        .forEach(files::add);
            }
        } else {
            files.add(dirOrFile);
        }
        List<String> names = new ArrayList<>();
        for (Path file : files) {
            String name = templateName(file);
            try (InputStream json = Files.newInputStream(file)) {
                install(client, name, json);
            }
            names.add(name);
        }
        return names;
    }

    /** {@code PUT _index_template/name} with the template body {@code json}. */
    public static void install(ElasticsearchClient client, String name, InputStream json)
            throws IOException {
        boolean acknowledged =
                client.indices().putIndexTemplate(b -> b.name(name).withJson(json)).acknowledged();
        if (!acknowledged) {
            throw new IOException("Elasticsearch did not acknowledge index template " + name);
        }
        LOG.info("Installed Elasticsearch index template {}", name);
    }

    static String templateName(Path file) {
        String fileName = file.getFileName().toString();
        return fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
    }
}
