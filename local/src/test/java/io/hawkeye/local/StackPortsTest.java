package io.hawkeye.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stack keeps Kafka's ports once its data is formatted for them: it waits for them, never wipes the data. */
class StackPortsTest {
    @TempDir
    Path dir;

    static ServerSocket hold() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }

    @Test
    void kafkaDataCountsOnlyForTheRecordedPorts() throws IOException {
        assertThat(KafkaBrokerProcess.hasData(dir, 9092, 40000)).isFalse();
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("formatted-for"), "9092/40000\n");
        assertThat(KafkaBrokerProcess.hasData(dir, 9092, 40000)).isTrue();
        assertThat(KafkaBrokerProcess.hasData(dir, 9093, 40000)).isFalse();
        assertThat(KafkaBrokerProcess.hasData(dir, 0, 0)).isFalse();
    }

    @Test
    void waitsForAPortThatIsReleasedAndFailsNamingOneThatIsNot() throws Exception {
        ServerSocket lingering = hold();
        int port = lingering.getLocalPort();
        Thread release = new Thread(() -> {
            try {
                Thread.sleep(700);
                lingering.close();
            } catch (Exception ignored) {
                // the assertion below reports it
            }
        });
        release.start();
        long t0 = System.nanoTime();
        LocalStack.awaitFree(Duration.ofSeconds(20), port);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        release.join();

        try (ServerSocket taken = hold()) {
            assertThatThrownBy(() -> LocalStack.awaitFree(Duration.ofMillis(600), taken.getLocalPort()))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("port " + taken.getLocalPort() + " is in use")
                    .hasMessageContaining("the data is kept");
        }
    }
}
