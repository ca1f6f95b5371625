package dev.chime.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A real HTTP client against a running server, for tests. */
final class Http {
  private final HttpClient client = HttpClient.newHttpClient();
  private final String base;
  private final String token;

  Http(String base, String token) {
    this.base = base;
    this.token = token;
  }

  Http(ChimeServer server) {
    this(server.baseUrl(), null);
  }

  Http withToken(String value) {
    return new Http(base, value);
  }

  /** A response, its body read as JSON when it is JSON. */
  record Response(int status, HttpResponse<String> raw) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(raw.body());
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + raw.body(), e);
      }
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    String body() {
      return raw.body();
    }

    @Override
    public String toString() {
      return status + " " + raw.body();
    }
  }

  Response get(String path) {
    return send("GET", path, null);
  }

  Response post(String path, String body) {
    return send("POST", path, body);
  }

  Response put(String path, String body) {
    return send("PUT", path, body);
  }

  Response delete(String path) {
    return send("DELETE", path, null);
  }

  /** A POST of the bytes as they are (JSON by its content type), even bytes that are not UTF-8. */
  Response postBytes(String path, byte[] body) {
    return exchange(
        "POST",
        path,
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** A HEAD with an {@code Accept} header of the caller's (null: none). */
  Response head(String path, String accept) {
    return send("HEAD", path, null, accept);
  }

  /** A GET with an {@code Accept} header of the caller's. */
  Response get(String path, String accept) {
    return send("GET", path, null, accept);
  }

  Response send(String method, String path, String body) {
    return send(method, path, body, null);
  }

  private Response send(String method, String path, String body, String accept) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (accept != null) {
      request.header("Accept", accept);
    }
    return exchange(method, path, request);
  }

  /** Sends the request with the token, if any. */
  private Response exchange(String method, String path, HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
