package io.hawkeye.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS trust from a PEM CA file, and clients built from one config. */
class ElasticsearchClientFactoryTest {

    @TempDir Path tmp;

    @Test
    void trustsCaCertificateFromPem() throws Exception {
        Path pem = selfSignedCaPem();

        SSLContext ssl = ElasticsearchClientFactory.sslContextTrusting(pem);

        assertThat(ssl.getProtocol()).isEqualTo("TLS");
        try (RestClient client =
                ElasticsearchClientFactory.createRestClient(
                        ElasticsearchConnectionConfig.builder()
                                .hosts("https://es-0:9200", "https://es-1:9200")
                                .apiKey("secret-key")
                                .caCertPath(pem.toString())
                                .build())) {
            assertThat(client.getNodes()).hasSize(2);
            assertThat(client.getNodes().get(0).getHost().getSchemeName()).isEqualTo("https");
        }
    }

    @Test
    void rejectsAFileWithoutCertificates() throws Exception {
        Path notPem = Files.writeString(tmp.resolve("empty.pem"), "not a certificate");
        assertThatThrownBy(() -> ElasticsearchClientFactory.sslContextTrusting(notPem))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty.pem");
    }

    /** A CA certificate in PEM, made with the JDK's keytool (no test dependency needed). */
    private Path selfSignedCaPem() throws Exception {
        Path keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool");
        Path store = tmp.resolve("ca.p12");
        Path pem = tmp.resolve("ca.pem");
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "ca", "-keyalg", "EC",
                "-dname", "CN=hawkeye-test-ca", "-ext", "bc:c", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit"));
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "ca",
                "-keystore", store.toString(), "-storepass", "changeit", "-file", pem.toString()));
        assertThat(Files.readString(pem)).startsWith("-----BEGIN CERTIFICATE-----");
        return pem;
    }

    private static void run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(out).isZero();
    }
}
