package io.hawkeye.local;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A single Elasticsearch 8.19 node started from the unpacked integration-test distribution
 * ({@link MavenResolver#ES_ARTIFACT}), daemonised with {@code bin/elasticsearch -d -p PIDFILE}.
 *
 * <p>Elasticsearch refuses to run as root. When this JVM is root, the node runs as the dedicated system user
 * {@value #ES_USER} (created on first use with {@code useradd --system}) via {@code runuser}, and everything it
 * writes lives in {@code workDir}, owned by that user: {@code config/} (a copy of the distribution's config,
 * used through {@code ES_PATH_CONF}), {@code data/}, {@code logs/}, {@code tmp/} and {@code es.pid}. The
 * distribution itself stays read-only and shared.
 *
 * <p>Only the modules of the integ-test distribution exist (transport-netty4, x-pack-core/security, apm):
 * {@code GET /} answers 405, so readiness is {@code GET /_cluster/health?wait_for_status=yellow}.
 */
public final class ElasticsearchNode {

    public static final String ES_USER = "hawkeye-es";

    /** The node's JVM heap: enough for the local stack and the integration tests. */
    private static final String HEAP = "512m";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Options options;
    private final long pid;

    private ElasticsearchNode(Options options, long pid) {
        this.options = options;
        this.pid = pid;
    }

    /** Settings of one node. {@code httpPort}/{@code transportPort} of 0 pick free loopback ports. */
    public static final class Options {
        Path home;
        Path workDir;
        int httpPort;
        int transportPort;
        boolean security;
        String username = "elastic";
        String password;
        Duration startTimeout = Duration.ofMinutes(3);

        public Options(Path home, Path workDir) {
            this.home = home.toAbsolutePath().normalize();
            this.workDir = effectiveWorkDir(workDir);
        }

        /** The HTTP and the transport port; 0 picks a free one. */
        public Options ports(int http, int transport) {
            this.httpPort = http;
            this.transportPort = transport;
            return this;
        }

        /** Enables x-pack security with a file-realm superuser (for authentication tests). HTTP stays plain. */
        public Options security(String username, String password) {
            this.security = true;
            this.username = username;
            this.password = password;
            return this;
        }

        public Options startTimeout(Duration timeout) {
            this.startTimeout = timeout;
            return this;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + options.httpPort;
    }

    public int httpPort() {
        return options.httpPort;
    }

    public int transportPort() {
        return options.transportPort;
    }

    public long pid() {
        return pid;
    }

    /** Starts the node and waits until the cluster is at least yellow. */
    public static ElasticsearchNode start(Options o) throws IOException {
        if (!MavenResolver.isElasticsearchHome(o.home)) {
            throw new IOException("Not an Elasticsearch distribution: " + o.home);
        }
        o.httpPort = Processes.freePort(o.httpPort);
        o.transportPort = Processes.freePort(o.transportPort);
        boolean asRoot = Processes.isRoot();
        if (asRoot && !traversableByOthers(o.home)) o.home = relocatedDistribution(o.home);
        prepareWorkDir(o);
        if (asRoot) {
            ensureUser();
            // Paths are resolved by the ES user: every parent must be traversable (e.g. not under /root).
            checkAccess(o.home.resolve("lib"), "-r", o);
            checkAccess(o.workDir, "-w", o);
        }
        if (o.security) {
            addFileRealmUser(o, asRoot);
        }

        Path pidFile = o.workDir.resolve("es.pid");
        Files.deleteIfExists(pidFile);
        List<String> cmd = new ArrayList<>();
        if (asRoot) {
            cmd.addAll(List.of("runuser", "-u", ES_USER, "--"));
        }
        cmd.add("env");
        cmd.addAll(environment(o));
        cmd.addAll(List.of(o.home.resolve("bin/elasticsearch").toString(), "-d", "-p", pidFile.toString()));
        for (String setting : settings(o)) {
            cmd.add("-E");
            cmd.add(setting);
        }
        Path launcherLog = o.workDir.resolve("logs/launcher.log");
        Process launcher = new ProcessBuilder(Processes.detached(cmd))
                .directory(o.workDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(launcherLog.toFile()))
                .redirectErrorStream(true)
                .start();
        long deadline = System.nanoTime() + o.startTimeout.toNanos();
        try {
            // With -d the launcher returns once the server JVM reports it has started (or failed).
            if (!launcher.waitFor(o.startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("Elasticsearch launcher did not return within " + o.startTimeout);
            }
            if (launcher.exitValue() != 0) {
                throw new IOException("Elasticsearch launcher failed with exit code " + launcher.exitValue());
            }
            long pid = readPid(pidFile, deadline);
            ElasticsearchNode node = new ElasticsearchNode(o, pid);
            node.awaitHealthy(deadline);
            return node;
        } catch (IOException | RuntimeException e) {
            Processes.stopTree(launcher.toHandle(), Duration.ofSeconds(5));
            readPidNow(pidFile).flatMap(Processes::alive).ifPresent(h -> Processes.stopTree(h, Duration.ofSeconds(10)));
            throw new IOException(e.getMessage() + "\n--- " + launcherLog + " ---\n" + Processes.tail(launcherLog, 30)
                    + "\n--- " + serverLog(o) + " ---\n" + Processes.tail(serverLog(o), 40), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Processes.stopTree(launcher.toHandle(), Duration.ofSeconds(5));
            throw new IOException("Interrupted while starting Elasticsearch", e);
        }
    }

    /** Stops this node (process tree) and waits until it is gone. */
    public boolean stop() {
        return stop(pid, options.workDir);
    }

    /** Like {@link #stop()}, with a shorter grace period before SIGKILL (throw-away test nodes). */
    public boolean stop(Duration grace) {
        return Processes.alive(pid)
                .filter(h -> Processes.commandLine(h).contains(options.workDir.toString()))
                .map(h -> Processes.stopTree(h, grace))
                .orElse(true);
    }

    /**
     * Stops the node with this pid if it is alive and its command line mentions {@code workDir} (guards
     * against a recycled pid); true if it is gone afterwards.
     */
    public static boolean stop(long pid, Path workDir) {
        return Processes.alive(pid)
                .filter(h -> Processes.commandLine(h).contains(effectiveWorkDir(workDir).toString()))
                .map(h -> Processes.stopTree(h, Duration.ofSeconds(30)))
                .orElse(true);
    }

    public static boolean isAlive(long pid, Path workDir) {
        return Processes.aliveWithMarker(pid, effectiveWorkDir(workDir).toString());
    }

    /** Pid recorded by the node in {@code workDir/es.pid}, if any. */
    public static Optional<Long> recordedPid(Path workDir) {
        return readPidNow(effectiveWorkDir(workDir).resolve("es.pid"));
    }

    /** True if {@code GET /_cluster/health} at {@code url} reports yellow or green. */
    public static boolean isHealthy(String url, Duration timeout) {
        return isHealthy(url, null, timeout);
    }

    static boolean isHealthy(String url, String authorization, Duration timeout) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + "/_cluster/health?wait_for_status=yellow&timeout="
                    + Math.max(1, timeout.toSeconds()) + "s")).timeout(timeout.plusSeconds(2)).GET();
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 && !r.body().contains("\"timed_out\":true");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Value of an HTTP Authorization header for the configured user, or null without security. */
    public String authorization() {
        if (!options.security) {
            return null;
        }
        return "Basic " + Base64.getEncoder().encodeToString(
                (options.username + ":" + options.password).getBytes(StandardCharsets.UTF_8));
    }

    private void awaitHealthy(long deadline) throws IOException {
        while (System.nanoTime() < deadline) {
            if (!Processes.alive(pid).isPresent()) {
                throw new IOException("Elasticsearch (pid " + pid + ") exited during startup");
            }
            if (isHealthy(url(), authorization(), Duration.ofSeconds(5))) {
                return;
            }
            Processes.sleep(250);
        }
        throw new IOException("Elasticsearch at " + url() + " not healthy in time");
    }

    private static List<String> environment(Options o) {
        return List.of(
                // The JVM running Hawkeye (JDK 17) is a supported runtime for ES 8.19; the integ-test zip has no bundled JDK.
                "ES_JAVA_HOME=" + System.getProperty("java.home"),
                "ES_PATH_CONF=" + o.workDir.resolve("config"),
                "ES_TMPDIR=" + o.workDir.resolve("tmp"),
                "ES_JAVA_OPTS=-Xms" + HEAP + " -Xmx" + HEAP,
                // runuser keeps root's HOME; point it at a directory the ES user can use.
                "HOME=" + o.workDir);
    }

    private static List<String> settings(Options o) {
        List<String> s = new ArrayList<>(List.of(
                "discovery.type=single-node",
                "network.host=127.0.0.1",
                "http.port=" + o.httpPort,
                "transport.port=" + o.transportPort,
                "path.data=" + o.workDir.resolve("data"),
                "path.logs=" + o.workDir.resolve("logs"),
                "node.name=hawkeye-local",
                "cluster.name=hawkeye-local",
                // Developer disks are often >90 % full; watermarks would turn indices read-only.
                "cluster.routing.allocation.disk.threshold_enabled=false",
                "xpack.security.enabled=" + o.security,
                "action.destructive_requires_name=false"));
        if (o.security) {
            // Plain HTTP with basic auth; TLS is out of scope for a local node.
            s.add("xpack.security.http.ssl.enabled=false");
            s.add("xpack.security.transport.ssl.enabled=false");
        }
        return s;
    }

    /** Where world-traversable copies live when a path is inside a private directory (e.g. mktemp -d, /root). */
    static final Path RELOCATION_ROOT = Path.of("/var/tmp/hawkeye-es");

    /**
     * The ES user must traverse every parent of its work dir. When run as root with a state directory inside a
     * private directory (a {@code mktemp -d} checkout, /root), the node's files go to a directory under
     * {@link #RELOCATION_ROOT} derived from the requested path instead. The mapping is a pure function of the path
     * and its parents' permissions, so start, status and stop agree on it.
     */
    static Path effectiveWorkDir(Path workDir) {
        Path p = workDir.toAbsolutePath().normalize();
        if (!Processes.isRoot() || traversableByOthers(p)) return p;
        return RELOCATION_ROOT.resolve("work-" + Integer.toHexString(p.toString().hashCode()) + "-"
                + p.getFileName());
    }

    /** True when every existing ancestor of {@code p} lets other users traverse it (o+x). */
    static boolean traversableByOthers(Path p) {
        for (Path a = p.toAbsolutePath().normalize().getParent(); a != null; a = a.getParent()) {
            if (!Files.exists(a)) continue;
            try {
                if (!Files.getPosixFilePermissions(a).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return true; // cannot tell: try in place and let the access check report a problem
            }
        }
        return true;
    }

    /** A world-readable copy of a distribution that sits in a private directory; made once, then reused. */
    private static synchronized Path relocatedDistribution(Path home) throws IOException {
        Path copy = RELOCATION_ROOT.resolve("dist-" + Integer.toHexString(home.toString().hashCode()) + "-"
                + home.getFileName());
        if (!MavenResolver.isElasticsearchHome(copy)) {
            Files.createDirectories(RELOCATION_ROOT);
            Path tmp = Files.createTempDirectory(RELOCATION_ROOT, "copy-");
            exec(List.of("cp", "-a", home.toString() + "/.", tmp.toString()), "copy distribution");
            exec(List.of("chmod", "-R", "a+rX", tmp.toString()), "make distribution readable");
            Files.move(tmp, copy, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        return copy;
    }

    private static void prepareWorkDir(Options o) throws IOException {
        for (String d : List.of("data", "logs", "tmp")) {
            Files.createDirectories(o.workDir.resolve(d));
        }
        Path conf = o.workDir.resolve("config");
        if (!Files.isRegularFile(conf.resolve("jvm.options"))) {
            // ES writes its keystore into the config dir, so each node needs its own writable copy.
            copyTree(o.home.resolve("config"), conf);
        }
        if (Processes.isRoot()) {
            ensureUser();
            exec(List.of("chown", "-R", ES_USER + ":" + ES_USER, o.workDir.toString()), "chown work dir");
        }
    }

    private static synchronized void ensureUser() throws IOException {
        if (Processes.run(List.of("id", "-u", ES_USER), Duration.ofSeconds(10)).exitCode() == 0) {
            return;
        }
        Processes.Result r = Processes.run(List.of("useradd", "--system", "--no-create-home",
                "--user-group", "--shell", "/usr/sbin/nologin", ES_USER), Duration.ofSeconds(30));
        // Exit 9 = "already exists": another process won the race, which is fine.
        if (r.exitCode() != 0 && r.exitCode() != 9) {
            throw new IOException("Could not create user " + ES_USER + " (Elasticsearch refuses to run as root): " + r.output());
        }
    }

    private static void checkAccess(Path path, String testFlag, Options o) throws IOException {
        Processes.Result r = Processes.run(List.of("runuser", "-u", ES_USER, "--", "test", testFlag, path.toString()),
                Duration.ofSeconds(10));
        if (r.exitCode() != 0) {
            throw new IOException("User " + ES_USER + " cannot access " + path + " (" + testFlag + "). Elasticsearch"
                    + " runs as that user; keep the state directory out of private directories such as /root"
                    + " (set HAWKEYE_HOME).");
        }
    }

    private static void addFileRealmUser(Options o, boolean asRoot) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (asRoot) {
            cmd.addAll(List.of("runuser", "-u", ES_USER, "--"));
        }
        cmd.add("env");
        cmd.addAll(environment(o));
        cmd.add(o.home.resolve("bin/elasticsearch-users").toString());
        // Remove first so a changed password takes effect on restart; "no such user" is fine.
        List<String> del = new ArrayList<>(cmd);
        del.addAll(List.of("userdel", o.username));
        Processes.run(del, Duration.ofMinutes(1));
        List<String> add = new ArrayList<>(cmd);
        add.addAll(List.of("useradd", o.username, "-p", o.password, "-r", "superuser"));
        Processes.Result r = Processes.run(add, Duration.ofMinutes(1));
        if (r.exitCode() != 0) {
            // The output never contains the password (it is only an argument), so it is safe to show.
            throw new IOException("elasticsearch-users useradd failed: " + r.output());
        }
    }

    private static Path serverLog(Options o) {
        return o.workDir.resolve("logs/hawkeye-local.log");
    }

    private static long readPid(Path pidFile, long deadline) throws IOException {
        while (System.nanoTime() < deadline) {
            Optional<Long> pid = readPidNow(pidFile);
            if (pid.isPresent()) {
                return pid.get();
            }
            Processes.sleep(100);
        }
        throw new IOException("Elasticsearch wrote no pid file at " + pidFile);
    }

    private static Optional<Long> readPidNow(Path pidFile) {
        try {
            String s = Files.readString(pidFile).trim();
            return s.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path src : (Iterable<Path>) walk::iterator) {
                Path dst = to.resolve(from.relativize(src).toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void exec(List<String> cmd, String what) throws IOException {
        Processes.Result r = Processes.run(cmd, Duration.ofMinutes(1));
        if (r.exitCode() != 0) {
            throw new IOException(what + " failed: " + r.output());
        }
    }
}
