package io.hawkeye.jobs.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Alertmanager for integration tests: Debian's {@code prometheus-alertmanager} package, fetched without
 * installing it ({@code apt-get download}, {@code dpkg-deb -x}) into the build's cache ({@code target/alertmanager})
 * once, and started as a separate process on a free port with clustering off.
 *
 * <p>Debian's build reads its notification templates and web UI from the fixed directory
 * {@code /usr/share/prometheus/alertmanager}, which exists only where the package is installed. Rather than install
 * it, the unpacked binary is relocated: every occurrence of that path is replaced by a path of the same length,
 * {@code /tmp/hawkeye-am-<18 hex>}, a symbolic link to the unpacked directory. Nothing outside the build's cache and
 * that link is written; the program is Debian's own.
 */
public final class AlertmanagerProcess implements AutoCloseable {
    private final Process process;
    private final String url;

    private AlertmanagerProcess(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    /**
     * The Alertmanager binary, fetched into {@code cache} on first use.
     *
     * @throws IllegalStateException naming what failed (no apt-get or dpkg-deb, no Debian package source)
     */
    public static Path binary(Path cache) throws Exception {
        Path relocated = cache.resolve("root/usr/bin/alertmanager-relocated");
        Path bin = cache.resolve("root/usr/bin/prometheus-alertmanager");
        if (!Files.isExecutable(bin)) unpack(cache, bin);
        String link = "/tmp/hawkeye-am-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(cache.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8))).substring(0, 18);
        if (link.length() != SHARE.length()) throw new IllegalStateException("bad relocation path " + link);
        Path target = cache.resolve("root" + SHARE).toAbsolutePath();
        Path linkPath = Path.of(link);
        if (!Files.isSymbolicLink(linkPath) || !Files.readSymbolicLink(linkPath).equals(target)) {
            Files.deleteIfExists(linkPath);
            Files.createSymbolicLink(linkPath, target);
        }
        if (!Files.isExecutable(relocated)) {
            byte[] b = Files.readAllBytes(bin);
            int n = replaceAll(b, SHARE.getBytes(StandardCharsets.US_ASCII), link.getBytes(StandardCharsets.US_ASCII));
            if (n == 0) throw new IllegalStateException(bin + " does not mention " + SHARE);
            Path tmp = Files.write(cache.resolve("root/usr/bin/alertmanager-relocated.tmp"), b);
            tmp.toFile().setExecutable(true);
            Files.move(tmp, relocated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return relocated;
    }

    /** The directory Debian's Alertmanager reads its templates and UI from. */
    static final String SHARE = "/usr/share/prometheus/alertmanager";

    private static int replaceAll(byte[] b, byte[] from, byte[] to) {
        int n = 0;
        outer:
        for (int i = 0; i + from.length <= b.length; i++) {
            for (int k = 0; k < from.length; k++) if (b[i + k] != from[k]) continue outer;
            System.arraycopy(to, 0, b, i, to.length);
            n++;
            i += from.length - 1;
        }
        return n;
    }

    private static void unpack(Path cache, Path bin) throws IOException, InterruptedException {
        Path debs = Files.createDirectories(cache.resolve("deb"));
        run(debs, List.of("apt-get", "download", "prometheus-alertmanager"));
        Path deb;
        try (Stream<Path> files = Files.list(debs)) {
            deb = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst().orElseThrow(() ->
                    new IllegalStateException("apt-get download prometheus-alertmanager left no .deb in " + debs));
        }
        run(cache, List.of("dpkg-deb", "-x", deb.toString(), cache.resolve("root").toString()));
        if (!Files.isExecutable(bin)) throw new IllegalStateException("no " + bin + " in " + deb);
    }

    private static void run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve(command.get(0) + ".log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is not available: " + e.getMessage(), e);
        }
        if (!p.waitFor(3, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: "
                    + Files.readString(dir.resolve(command.get(0) + ".log")).strip());
        }
    }

    /** Starts Alertmanager with {@code config} (storage in {@code work}); waits until it is ready. */
    public static AlertmanagerProcess start(Path binary, Path config, Path work) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.createDirectories(work);
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config, "--storage.path=" + work,
                "--web.listen-address=127.0.0.1:" + port, "--cluster.listen-address=")
                .redirectErrorStream(true).redirectOutput(work.resolve("alertmanager.log").toFile()).start();
        AlertmanagerProcess am = new AlertmanagerProcess(p, "http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("Alertmanager exited: " + Files.readString(work.resolve("alertmanager.log")));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(am.url + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return am;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        am.close();
        throw new IllegalStateException("Alertmanager not ready within a minute");
    }

    public String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }
}
