package dev.chime.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small client of the REST API ({@code /api/v1}). Every failure becomes one line: a problem+json
 * answer as its title, detail and field (exit 2 for 400 and 422, 1 otherwise); a server that cannot
 * be reached names its URL (exit 1).
 */
final class ApiClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final URI server;
  private final String token;
  private final HttpClient http;

  ApiClient(URI server, String token) {
    String problem = token == null ? null : tokenProblem(token);
    if (problem != null) {
      // Refused here, not by HttpRequest.Builder.header, whose message quotes the header's value;
      // the one place a token comes from is CHIME_TOKEN.
      throw new Main.UsageError("CHIME_TOKEN " + problem);
    }
    this.server = server;
    this.token = token;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  /**
   * What keeps the token out of an {@code Authorization: Bearer} header, or null when nothing does:
   * a bearer token is one word of printable ASCII. Never quotes the token, which is a secret.
   */
  private static String tokenProblem(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (Character.isISOControl(c)) {
        return "holds a line break or another control character"
            + " (read from a file with a trailing newline?)";
      }
      if (c == ' ') {
        return "holds a space (a token is one word)";
      }
      if (c > '~') {
        return "holds a character that is not ASCII (a token is letters, digits and punctuation)";
      }
    }
    return null;
  }

  URI server() {
    return server;
  }

  /** The server's answer: its status and body text (the JSON as the server wrote it). */
  record Reply(int status, String body) {
    /** The body as JSON; an empty body is an empty object. */
    JsonNode json() {
      if (body.isBlank()) {
        return JSON.createObjectNode();
      }
      try {
        return JSON.readTree(body);
      } catch (JsonProcessingException e) {
        throw new Main.Failure("the server answered " + status + " with a body that is not JSON");
      }
    }
  }

  /** A path segment, escaped (job ids may hold {@code /} and {@code :}). */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  Reply get(String path) {
    return send("GET", path, null);
  }

  Reply post(String path, String body) {
    return send("POST", path, body);
  }

  Reply put(String path, String body) {
    return send("PUT", path, body);
  }

  Reply delete(String path) {
    return send("DELETE", path, null);
  }

  /** Every item of a paged list, following {@code nextCursor}. */
  List<JsonNode> all(String path) {
    List<JsonNode> items = new ArrayList<>();
    String cursor = null;
    do {
      String page = cursor == null ? path : path + (path.contains("?") ? "&" : "?") + "cursor=";
      JsonNode json = get(cursor == null ? page : page + segment(cursor)).json();
      json.path("items").forEach(items::add);
      cursor = json.path("nextCursor").isTextual() ? json.path("nextCursor").asText() : null;
    } while (cursor != null && !cursor.isEmpty());
    return items;
  }

  private Reply send(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json, application/problem+json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    Reply reply = exchange(request.build());
    if (reply.status() >= 400) {
      throw problem(reply);
    }
    return reply;
  }

  /** Whether the connection failed because the host name did not resolve. */
  private static boolean unresolved(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.nio.channels.UnresolvedAddressException
          || cause instanceof java.net.UnknownHostException) {
        return true;
      }
    }
    return false;
  }

  private Reply exchange(HttpRequest request) {
    try {
      HttpResponse<String> response =
          http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Reply(response.statusCode(), response.body());
    } catch (HttpConnectTimeoutException e) {
      throw unreachable("no connection within " + CONNECT_TIMEOUT.toSeconds() + " s");
    } catch (ConnectException e) {
      throw unreachable(
          e.getMessage() != null
              ? e.getMessage()
              : unresolved(e) ? "unknown host " + request.uri().getHost() : "connection refused");
    } catch (HttpTimeoutException e) {
      throw new Main.Failure(
          "the Chime server at "
              + server
              + " did not answer within "
              + REQUEST_TIMEOUT.toSeconds()
              + " s");
    } catch (IOException e) {
      throw unreachable(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Main.Failure("interrupted while waiting for the Chime server at " + server);
    }
  }

  private Main.Failure unreachable(String why) {
    return new Main.Failure(
        "cannot reach the Chime server at "
            + server
            + ": "
            + why
            + " (is `chime serve` running? Set --server or CHIME_SERVER)");
  }

  private RuntimeException problem(Reply reply) {
    String message = reply.status() + " " + Problems.describe(reply);
    if (reply.status() == 401) {
      message += token == null ? " (set CHIME_TOKEN)" : " (check CHIME_TOKEN)";
    }
    return reply.status() == 400 || reply.status() == 422
        ? new Main.UsageError(message)
        : new Main.Failure(message);
  }
}
