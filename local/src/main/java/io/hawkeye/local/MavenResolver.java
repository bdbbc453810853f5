package io.hawkeye.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Resolves the local stack's artifacts (the Kafka broker classpath and the Elasticsearch distribution) by
 * running the repository's Maven Wrapper on {@code deploy/local/pom.xml}.
 *
 * <p>Why Maven and not a download URL: the wrapper already knows the repository (and honours the user's
 * {@code settings.xml} mirrors and proxies), artifacts land in {@code ~/.m2} where the build shares them, and
 * checksums are verified. Results are cached under a directory the caller chooses, so only the first
 * {@code stack up} pays for resolution.
 */
public final class MavenResolver {

    /** Maven coordinates of the Elasticsearch distribution started by {@link ElasticsearchNode}. */
    public static final String ES_VERSION = "8.19.21";

    public static final String ES_ARTIFACT =
            "org.elasticsearch.distribution.integ-test-zip:elasticsearch:" + ES_VERSION + ":zip";

    static final String LOCAL_POM = "deploy/local/pom.xml";

    private final Path repoRoot;

    public MavenResolver(Path repoRoot) {
        this.repoRoot = repoRoot.toAbsolutePath().normalize();
    }

    /**
     * Finds the Hawkeye checkout: {@code HAWKEYE_REPO} if set, else the nearest directory at or above
     * {@code start} that holds both {@code mvnw} and {@code deploy/local/pom.xml}.
     */
    public static Optional<Path> findRepoRoot(Path start) {
        String env = System.getenv("HAWKEYE_REPO");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env).toAbsolutePath().normalize());
        }
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve(LOCAL_POM))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    public Path repoRoot() {
        return repoRoot;
    }

    /**
     * Returns the Kafka broker classpath, cached in {@code cacheDir/kafka-classpath.txt}. A cached classpath
     * whose jars have disappeared (e.g. a cleaned {@code ~/.m2}) is resolved again.
     */
    public String kafkaClasspath(Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        Path cached = cacheDir.resolve("kafka-classpath.txt");
        if (Files.isRegularFile(cached)) {
            String cp = Files.readString(cached, StandardCharsets.UTF_8).trim();
            if (!cp.isEmpty() && Arrays.stream(cp.split(java.io.File.pathSeparator)).map(Path::of).allMatch(Files::isRegularFile)) {
                return cp;
            }
        }
        Path tmp = cacheDir.resolve("kafka-classpath.txt.tmp");
        runMaven(List.of("dependency:build-classpath", "-Dmdep.outputFile=" + tmp.toAbsolutePath()));
        String cp = Files.readString(tmp, StandardCharsets.UTF_8).trim();
        if (!cp.contains("kafka_2.13")) {
            throw new IOException("Unexpected Kafka classpath from " + LOCAL_POM + ": " + cp);
        }
        Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return cp;
    }

    /**
     * Returns the home of the unpacked Elasticsearch distribution under {@code cacheDir}, unpacking it
     * (via {@code dependency:unpack}) the first time. Unpacks into a temporary sibling and renames, so an
     * interrupted unpack never leaves a half-populated home that looks valid.
     */
    public Path elasticsearchHome(Path cacheDir) throws IOException {
        Files.createDirectories(cacheDir);
        Path home = cacheDir.resolve("elasticsearch-" + ES_VERSION);
        if (isElasticsearchHome(home)) {
            return home;
        }
        Path tmp = cacheDir.resolve("es-unpack.tmp");
        deleteRecursively(tmp);
        runMaven(List.of("dependency:unpack", "-Dartifact=" + ES_ARTIFACT, "-DoutputDirectory=" + tmp.toAbsolutePath(),
                // The plugin's unpack markers (deploy/local/target) would otherwise skip a second unpack
                // into a different directory.
                "-Dmdep.overWriteReleases=true"));
        Path unpacked = tmp.resolve("elasticsearch-" + ES_VERSION);
        if (!isElasticsearchHome(unpacked)) {
            throw new IOException("Unpacked " + ES_ARTIFACT + " but found no bin/elasticsearch under " + unpacked);
        }
        deleteRecursively(home);
        Files.move(unpacked, home, StandardCopyOption.ATOMIC_MOVE);
        deleteRecursively(tmp);
        return home;
    }

    public static boolean isElasticsearchHome(Path home) {
        return Files.isExecutable(home.resolve("bin/elasticsearch")) && Files.isDirectory(home.resolve("lib"))
                && Files.isDirectory(home.resolve("config"));
    }

    private void runMaven(List<String> goals) throws IOException {
        Path mvnw = repoRoot.resolve("mvnw");
        if (!Files.isRegularFile(mvnw)) {
            throw new IOException("No Maven Wrapper at " + mvnw + " (set HAWKEYE_REPO to the Hawkeye checkout)");
        }
        List<String> cmd = new ArrayList<>(List.of(mvnw.toString(), "-B", "-q", "-f", repoRoot.resolve(LOCAL_POM).toString()));
        cmd.addAll(goals);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(repoRoot.toFile()).redirectErrorStream(true);
        // The wrapper may be checked out without the executable bit (e.g. from a zip): run it through sh.
        if (!Files.isExecutable(mvnw)) {
            cmd.add(0, "sh");
            pb.command(cmd);
        }
        Path log = Files.createTempFile("hawkeye-mvn", ".log");
        pb.redirectOutput(log.toFile());
        try {
            Process p = pb.start();
            if (!p.waitFor(15, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("Maven timed out: " + String.join(" ", cmd));
            }
            if (p.exitValue() != 0) {
                throw new IOException("Maven failed (exit " + p.exitValue() + "): " + String.join(" ", cmd) + "\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while running Maven", e);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
