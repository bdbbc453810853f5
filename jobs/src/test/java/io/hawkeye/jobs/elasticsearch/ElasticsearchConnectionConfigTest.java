package io.hawkeye.jobs.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.http.Header;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class ElasticsearchConnectionConfigTest {

    private static final String API_KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    private static final String PASSWORD = "pa55-w0rd-never-logged";

    @Test
    void toStringRedactsSecrets() {
        ElasticsearchConnectionConfig withKey =
                ElasticsearchConnectionConfig.builder().hosts("https://es:9200").apiKey(API_KEY).build();
        ElasticsearchConnectionConfig withPassword =
                ElasticsearchConnectionConfig.builder()
                        .hosts("https://es:9200")
                        .basicAuth("hawkeye", PASSWORD)
                        .build();

        assertThat(withKey.toString()).doesNotContain(API_KEY).contains("apiKey=******");
        assertThat(withPassword.toString())
                .doesNotContain(PASSWORD)
                .contains("username=hawkeye")
                .contains("password=******");
    }

    @Test
    void environmentFillsOnlyWhatIsNotConfigured() {
        Map<String, String> env =
                Map.of(
                        ElasticsearchConnectionConfig.ENV_API_KEY, API_KEY,
                        ElasticsearchConnectionConfig.ENV_CA_CERT, "/etc/es/ca.pem");

        ElasticsearchConnectionConfig fromEnv =
                ElasticsearchConnectionConfig.builder().hosts("https://es:9200").build().withDefaultsFrom(env);
        assertThat(fromEnv.apiKey()).isEqualTo(API_KEY);
        assertThat(fromEnv.caCertPath()).isEqualTo("/etc/es/ca.pem");

        ElasticsearchConnectionConfig explicit =
                ElasticsearchConnectionConfig.builder()
                        .hosts("https://es:9200")
                        .basicAuth("hawkeye", PASSWORD)
                        .caCertPath("/explicit.pem")
                        .build()
                        .withDefaultsFrom(env);
        assertThat(explicit.apiKey()).as("explicit basic auth is not mixed with env key").isNull();
        assertThat(explicit.username()).isEqualTo("hawkeye");
        assertThat(explicit.caCertPath()).isEqualTo("/explicit.pem");
    }

    @Test
    void environmentBasicAuthWhenNoApiKey() {
        ElasticsearchConnectionConfig config =
                ElasticsearchConnectionConfig.builder()
                        .hosts("http://es:9200")
                        .build()
                        .withDefaultsFrom(
                                Map.of(
                                        ElasticsearchConnectionConfig.ENV_USERNAME, "elastic",
                                        ElasticsearchConnectionConfig.ENV_PASSWORD, PASSWORD));
        assertThat(config.username()).isEqualTo("elastic");
        assertThat(config.password()).isEqualTo(PASSWORD);
        assertThat(config.apiKey()).isNull();
    }

    @Test
    void authorizationHeaderPrefersApiKey() {
        Header apiKey =
                ElasticsearchClientFactory.authorizationHeader(
                        ElasticsearchConnectionConfig.builder()
                                .hosts("https://es:9200")
                                .apiKey(API_KEY)
                                .build());
        assertThat(apiKey.getValue()).isEqualTo("ApiKey " + API_KEY);

        Header basic =
                ElasticsearchClientFactory.authorizationHeader(
                        ElasticsearchConnectionConfig.builder()
                                .hosts("https://es:9200")
                                .basicAuth("u", "p")
                                .build());
        assertThat(basic.getValue()).isEqualTo("Basic dTpw");

        assertThat(
                        ElasticsearchClientFactory.authorizationHeader(
                                ElasticsearchConnectionConfig.builder().hosts("http://es:9200").build()))
                .isNull();
    }

    @Test
    void hostsAreValidatedAndCommaListsSplit() {
        ElasticsearchConnectionConfig config =
                ElasticsearchConnectionConfig.builder()
                        .host("http://a:9200, http://b:9200")
                        .connectTimeout(Duration.ofSeconds(1))
                        .build();
        assertThat(config.hosts()).containsExactly("http://a:9200", "http://b:9200");

        assertThatThrownBy(() -> ElasticsearchConnectionConfig.builder().hosts("es:9200").build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ElasticsearchConnectionConfig.builder().build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isSerializable() throws Exception {
        ElasticsearchConnectionConfig config =
                ElasticsearchConnectionConfig.fromEnvironment(List.of("http://es:9200"));
        assertThat(InstantiationUtil.clone(config)).isEqualTo(config);
    }
}
