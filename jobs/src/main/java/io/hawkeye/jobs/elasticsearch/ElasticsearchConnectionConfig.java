package io.hawkeye.jobs.elasticsearch;

import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how to reach an Elasticsearch cluster: hosts, credentials, TLS trust and timeouts.
 *
 * <p>Serializable so that a sink can ship it to its writers; the client itself is built on the task
 * by {@link ElasticsearchClientFactory}. Secrets (API key, password) are kept out of {@link
 * #toString()} so that the config can be logged safely.
 *
 * <p>Credentials and the CA certificate should come from the environment rather than from job
 * arguments or code: {@link #withEnvironmentDefaults()} fills every option that was not set
 * explicitly from
 *
 * <ul>
 *   <li>{@code HAWKEYE_ES_API_KEY} – sent as {@code Authorization: ApiKey <value>} (the base64
 *       {@code id:api_key} "encoded" value Elasticsearch returns);
 *   <li>{@code HAWKEYE_ES_USERNAME} / {@code HAWKEYE_ES_PASSWORD} – HTTP basic auth, used only when
 *       no API key is configured;
 *   <li>{@code HAWKEYE_ES_CA_CERT} – path to a PEM file with the CA certificate(s) that signed the
 *       cluster's https certificate (otherwise the JVM's default trust store is used).
 * </ul>
 */
public record ElasticsearchConnectionConfig(List<String> hosts, String apiKey, String username, String password,
        String caCertPath, Duration connectTimeout, Duration socketTimeout) implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String ENV_API_KEY = "HAWKEYE_ES_API_KEY";
    public static final String ENV_USERNAME = "HAWKEYE_ES_USERNAME";
    public static final String ENV_PASSWORD = "HAWKEYE_ES_PASSWORD";
    public static final String ENV_CA_CERT = "HAWKEYE_ES_CA_CERT";

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Longer than a large bulk takes on a busy cluster; a timeout is retried, not fatal. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);

    static final String REDACTED = "******";

    /** Checks the hosts (http(s) URLs, at least one) and that username and password go together. */
    public ElasticsearchConnectionConfig {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("At least one Elasticsearch host is required");
        }
        for (String host : hosts) {
            URI uri = URI.create(host);
            if (uri.getHost() == null
                    || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                throw new IllegalArgumentException(
                        "Elasticsearch host must be an http(s) URL like https://es:9200, got: " + host);
            }
        }
        if ((username == null) != (password == null)) {
            throw new IllegalArgumentException("Elasticsearch username and password go together");
        }
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(connectTimeout);
        Objects.requireNonNull(socketTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A config for these hosts; every other option from the environment or its default. */
    public static ElasticsearchConnectionConfig fromEnvironment(List<String> hosts) {
        return builder().hosts(hosts).build().withEnvironmentDefaults();
    }

    /** Fills options that were not set explicitly from {@code HAWKEYE_ES_*} environment variables. */
    public ElasticsearchConnectionConfig withEnvironmentDefaults() {
        return withDefaultsFrom(System.getenv());
    }

    /**
     * Fills unset options from {@code env}. Explicit settings win; an explicit API key or username
     * suppresses the other credential kind so that two credentials never compete.
     */
    public ElasticsearchConnectionConfig withDefaultsFrom(Map<String, String> env) {
        String key = apiKey;
        String user = username;
        String pass = password;
        if (apiKey == null && username == null) {
            String envKey = nonBlank(env.get(ENV_API_KEY));
            String envUser = nonBlank(env.get(ENV_USERNAME));
            if (envKey != null) {
                key = envKey;
            } else if (envUser != null) {
                user = envUser;
                pass = env.getOrDefault(ENV_PASSWORD, "");
            }
        }
        String caCert = caCertPath != null ? caCertPath : nonBlank(env.get(ENV_CA_CERT));
        return new ElasticsearchConnectionConfig(hosts, key, user, pass, caCert, connectTimeout, socketTimeout);
    }

    /** Safe to log: secrets are replaced by {@value #REDACTED}, only their presence is shown. */
    @Override
    public String toString() {
        return "ElasticsearchConnectionConfig{hosts="
                + hosts
                + ", apiKey="
                + (apiKey == null ? "null" : REDACTED)
                + ", username="
                + username
                + ", password="
                + (password == null ? "null" : REDACTED)
                + ", caCertPath="
                + caCertPath
                + ", connectTimeout="
                + connectTimeout
                + ", socketTimeout="
                + socketTimeout
                + '}';
    }

    private static String nonBlank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** Builder; {@link #hosts} is required, everything else optional. */
    public static final class Builder {
        private final List<String> hosts = new ArrayList<>();
        private String apiKey;
        private String username;
        private String password;
        private String caCertPath;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;

        private Builder() {}

        /** http(s) URLs, e.g. {@code https://es-0:9200}; requests are spread over them. */
        public Builder hosts(List<String> urls) {
            hosts.clear();
            for (String url : urls) {
                host(url);
            }
            return this;
        }

        public Builder hosts(String... urls) {
            return hosts(List.of(urls));
        }

        /** Adds one URL; a comma-separated list is split, so a single option can carry several. */
        public Builder host(String url) {
            for (String part : url.split(",")) {
                if (!part.isBlank()) {
                    hosts.add(part.trim());
                }
            }
            return this;
        }

        /** The encoded API key, sent as {@code Authorization: ApiKey <key>}. */
        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        public Builder basicAuth(String user, String pass) {
            this.username = user;
            this.password = pass;
            return this;
        }

        /** PEM file with the CA certificate(s) to trust for https hosts. */
        public Builder caCertPath(String path) {
            this.caCertPath = path;
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = timeout;
            return this;
        }

        public ElasticsearchConnectionConfig build() {
            return new ElasticsearchConnectionConfig(hosts, apiKey, username, password, caCertPath, connectTimeout,
                    socketTimeout);
        }
    }
}
