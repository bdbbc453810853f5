package io.hawkeye.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A few REST calls against the real Elasticsearch node of the integration tests. */
public final class ElasticsearchTestUtil {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private ElasticsearchTestUtil() {}

    public static JsonNode request(String method, String url, String body) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json");
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) throw new IllegalStateException(method + " " + url + " -> " + r.statusCode()
                    + ": " + r.body());
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Refreshes {@code index} (a pattern is fine) and counts its documents. */
    public static long count(String esUrl, String index) {
        request("POST", esUrl + "/" + index + "/_refresh", null);
        return request("GET", esUrl + "/" + index + "/_count", null).get("count").asLong();
    }
}
