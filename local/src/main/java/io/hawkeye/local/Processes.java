package io.hawkeye.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Small process and port helpers shared by the local services. */
public final class Processes {

    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private Processes() {}

    /**
     * Returns {@code preferred} if it is free on 127.0.0.1, else a port the OS hands out. The port is only
     * probably free by the time the service binds it; callers start the service promptly.
     */
    public static int freePort(int preferred) throws IOException {
        if (preferred > 0 && isFree(preferred)) {
            return preferred;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /**
     * Whether a server could listen on {@code port} now as the brokers do (SO_REUSEADDR: connections of a stopped
     * process lingering in TIME_WAIT do not count, a listening process does).
     */
    public static boolean isListenable(int port) {
        return canBind(port, true);
    }

    /** Whether nothing holds {@code port}, not even a connection of a stopped process in TIME_WAIT. */
    public static boolean isFree(int port) {
        return canBind(port, false);
    }

    private static boolean canBind(int port, boolean reuseAddress) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(reuseAddress);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Prefixes {@code setsid} when available, so a daemon runs in its own session: Ctrl-C in the terminal
     * that ran {@code stack up} must not reach the broker. {@code setsid} execs in place (the forked child is
     * not a group leader), so the returned process's pid is the daemon's pid.
     */
    static List<String> detached(List<String> cmd) {
        if (!Files.isExecutable(SETSID)) {
            return cmd;
        }
        List<String> out = new ArrayList<>(cmd.size() + 1);
        out.add(SETSID.toString());
        out.addAll(cmd);
        return out;
    }

    public static boolean isRoot() {
        try {
            // The owner of /proc/self is the effective uid of this process (Linux).
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (Exception | Error e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    public static Optional<ProcessHandle> alive(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    /** True if {@code pid} is alive and its command line contains {@code marker} (guards against pid reuse). */
    public static boolean aliveWithMarker(long pid, String marker) {
        return alive(pid).map(h -> commandLine(h).contains(marker)).orElse(false);
    }

    public static String commandLine(ProcessHandle h) {
        // ProcessHandle.Info truncates nothing but may be empty for other users' processes; /proc is complete.
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(h.pid()), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return h.info().commandLine().orElse("");
        }
    }

    /**
     * Stops a process and all its descendants: SIGTERM first (lets Kafka and Elasticsearch flush and release
     * their locks), SIGKILL after {@code grace}. Returns true if everything is gone.
     */
    public static boolean stopTree(ProcessHandle root, Duration grace) {
        List<ProcessHandle> all = new ArrayList<>();
        root.descendants().forEach(all::add);
        all.add(root);
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    h.onExit().get(left, TimeUnit.NANOSECONDS);
                }
            } catch (Exception e) {
                // timed out or interrupted: fall through to SIGKILL
            }
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) {
                h.destroyForcibly();
                try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // reported below
                }
            }
        }
        return all.stream().noneMatch(ProcessHandle::isAlive);
    }

    /** Waits {@code ms}; an interrupt keeps the thread's flag and ends the wait as an IOException. */
    static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }

    /** Runs a short command to completion; returns its exit code and merged output. */
    static Result run(List<String> cmd, Duration timeout) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("Timed out: " + String.join(" ", cmd));
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("Interrupted: " + String.join(" ", cmd), e);
        }
    }

    record Result(int exitCode, String output) {}

    /** Last {@code lines} lines of a log file, for error messages when a service fails to start. */
    static String tail(Path file, int lines) {
        try {
            // Lenient decoding: a log cut mid-character must not hide the error we are reporting.
            List<String> all = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + file + ")";
        }
    }
}
