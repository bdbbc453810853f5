package io.hawkeye.jobs.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawkeye.jobs.HawkeyeOptions;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaIOTest {
    @TempDir
    Path dir;

    @Test
    void theOptionsFileIsRequiredToExistAndWinsOverTheEnvironmentsFile() throws Exception {
        Path option = Files.writeString(dir.resolve("option.properties"), "security.protocol=SASL_SSL\n");
        Path env = Files.writeString(dir.resolve("env.properties"), "security.protocol=SSL\nsasl.mechanism=PLAIN\n");
        Configuration conf = new Configuration();
        conf.set(HawkeyeOptions.KAFKA_PROPERTIES_FILE, option.toString());

        Properties p = KafkaIO.clientProperties(conf, Map.of(KafkaIO.ENV_PROPERTIES_FILE, env.toString()));

        assertThat(p).containsOnly(Map.entry("security.protocol", "SASL_SSL"));
        conf.set(HawkeyeOptions.KAFKA_PROPERTIES_FILE, dir.resolve("missing.properties").toString());
        assertThatThrownBy(() -> KafkaIO.clientProperties(conf, Map.of()))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.properties");
    }

    @Test
    void theEnvironmentsFileIsUsedWhenPresentAndSkippedWhenItsOptionalSecretIsNotMounted() throws Exception {
        Path env = Files.writeString(dir.resolve("client.properties"), "security.protocol=SSL\n");
        Configuration conf = new Configuration();

        assertThat(KafkaIO.clientProperties(conf, Map.of(KafkaIO.ENV_PROPERTIES_FILE, env.toString())))
                .containsOnly(Map.entry("security.protocol", "SSL"));
        assertThat(KafkaIO.clientProperties(conf,
                Map.of(KafkaIO.ENV_PROPERTIES_FILE, dir.resolve("not-mounted/client.properties").toString())))
                .isEmpty();
    }

    @Test
    void theJaasConfigComesFromTheEnvironmentOverTheFile() throws Exception {
        Path env = Files.writeString(dir.resolve("client.properties"), "sasl.jaas.config=from-file\n");
        Properties p = KafkaIO.clientProperties(new Configuration(), Map.of(
                KafkaIO.ENV_PROPERTIES_FILE, env.toString(), KafkaIO.ENV_SASL_JAAS, "from-env"));

        assertThat(p).containsOnly(Map.entry("sasl.jaas.config", "from-env"));
    }
}
