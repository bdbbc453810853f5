package io.hawkeye.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A topic the local stack creates on {@code up}: name, partition count and topic configs
 * (e.g. {@code cleanup.policy=compact}). Replication factor is always 1 (one broker).
 */
public record TopicSpec(String name, int partitions, Map<String, String> config) {

    public TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name is empty");
        }
        if (partitions < 1) {
            throw new IllegalArgumentException("topic " + name + ": partitions must be >= 1");
        }
        config = Map.copyOf(config == null ? Map.of() : config);
    }

    public static TopicSpec of(String name, int partitions) {
        return new TopicSpec(name, partitions, Map.of());
    }

    /** Parses one line of {@code deploy/topics.txt}: {@code name partitions [key=value,...]}. */
    public static TopicSpec parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 2 || f.length > 3) {
            throw new IllegalArgumentException("expected 'name partitions [key=value,...]': " + line);
        }
        Map<String, String> config = new LinkedHashMap<>();
        if (f.length == 3) {
            for (String kv : f[2].split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("bad topic config '" + kv + "' in: " + line);
                }
                config.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        try {
            return new TopicSpec(f[0], Integer.parseInt(f[1]), config);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("partitions is not a number in: " + line, e);
        }
    }

    /** Reads a topics file; blank lines and {@code #} comments are ignored. A missing file yields no topics. */
    public static List<TopicSpec> readFile(Path file) throws IOException {
        List<TopicSpec> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        int n = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ":" + n + ": " + e.getMessage(), e);
            }
        }
        return out;
    }
}
