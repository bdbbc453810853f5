package io.hawkeye.jobs.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.ElasticsearchTransport;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

/**
 * The one place that turns an {@link ElasticsearchConnectionConfig} into clients, so that the sink,
 * the index-template installer and tools authenticate and trust certificates the same way.
 *
 * <p>Credentials go into a default {@code Authorization} header (never into URLs, so they cannot
 * leak through logged hosts or exception messages).
 */
public final class ElasticsearchClientFactory {

    private ElasticsearchClientFactory() {}

    /** The low-level REST client; the caller closes it. */
    public static RestClient createRestClient(ElasticsearchConnectionConfig config) {
        HttpHost[] hosts =
                config.hosts().stream()
                        .map(URI::create)
                        .map(u -> new HttpHost(u.getHost(), port(u), u.getScheme()))
                        .toArray(HttpHost[]::new);
        RestClientBuilder builder = RestClient.builder(hosts);
        Header auth = authorizationHeader(config);
        if (auth != null) {
            builder.setDefaultHeaders(new Header[] {auth});
        }
        builder.setRequestConfigCallback(
                rc ->
                        rc.setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
                                .setSocketTimeout(
                                        Math.toIntExact(config.socketTimeout().toMillis())));
        if (config.caCertPath() != null) {
            SSLContext ssl = sslContextTrusting(Path.of(config.caCertPath()));
            builder.setHttpClientConfigCallback(hc -> hc.setSSLContext(ssl));
        }
        return builder.build();
    }

    /** A transport over a new REST client; closing the transport closes the REST client. */
    public static ElasticsearchTransport createTransport(ElasticsearchConnectionConfig config) {
        return new RestClientTransport(createRestClient(config), new JacksonJsonpMapper());
    }

    /** Blocking client (tools, template installation); the caller closes it. */
    public static ElasticsearchClient createClient(ElasticsearchConnectionConfig config) {
        return new ElasticsearchClient(createTransport(config));
    }

    /** Non-blocking client (the sink); the caller closes it. */
    public static ElasticsearchAsyncClient createAsyncClient(ElasticsearchConnectionConfig config) {
        return new ElasticsearchAsyncClient(createTransport(config));
    }

    /** API key wins over basic auth; {@code null} when the cluster is unauthenticated. */
    static Header authorizationHeader(ElasticsearchConnectionConfig config) {
        if (config.apiKey() != null) {
            return new BasicHeader("Authorization", "ApiKey " + config.apiKey());
        }
        if (config.username() != null) {
            String pair = config.username() + ":" + config.password();
            return new BasicHeader(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString(
                                            pair.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        return null;
    }

    static SSLContext sslContextTrusting(Path pemFile) {
        try (InputStream in = Files.newInputStream(pemFile)) {
            Collection<? extends Certificate> certs =
                    CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("No certificate in CA file " + pemFile);
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int i = 0;
            for (Certificate cert : certs) {
                trust.setCertificateEntry("hawkeye-es-ca-" + i++, cert);
            }
            TrustManagerFactory tmf =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            return ssl;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read Elasticsearch CA certificate " + pemFile, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(
                    "Invalid Elasticsearch CA certificate " + pemFile + ": " + e.getMessage(), e);
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() > 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme()) ? 443 : 80; // URL defaults; write the port explicitly
    }
}
