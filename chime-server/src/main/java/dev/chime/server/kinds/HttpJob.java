package dev.chime.server.kinds;

import dev.chime.JobContext;
import dev.chime.JobFailedException;
import dev.chime.JobHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code http} kind: one request with the JDK client; fails on a status it was not told to
 * expect (default: any 2xx). Redirects are not followed (expect the 3xx if that is the answer). The
 * timeout bounds the whole exchange, body included.
 */
final class HttpJob implements JobHandler {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  static final int BODY_LIMIT = 4096;
  private static final Set<String> FIELDS =
      Set.of("method", "url", "headers", "body", "expect_status", "timeout");
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private volatile HttpClient client;

  /** The params, checked. */
  record Spec(
      String method,
      URI url,
      Map<String, String> headers,
      String body,
      List<Integer> expect,
      Duration timeout) {}

  static List<String> validate(Map<String, Object> params) {
    Params p = new Params(params, FIELDS);
    read(p);
    return p.errors();
  }

  private static Spec read(Params p) {
    String method = p.string("method");
    if (method != null && !method.matches("[A-Za-z]{1,20}")) {
      p.error("method", "must be an HTTP method like GET or POST, was '" + method + "'");
    } else if (method != null && method.equalsIgnoreCase("CONNECT")) {
      p.error("method", "CONNECT opens a tunnel, not a request; the HTTP client does not send it");
    }
    URI url = url(p, p.requiredString("url"));
    Map<String, String> headers = p.stringMap("headers");
    for (String name : headers == null ? Set.<String>of() : headers.keySet()) {
      if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        p.error("headers." + name, "is not a valid header name");
      } else if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
        p.error("headers." + name, "is set by the HTTP client and cannot be given");
      } else if (!headers.get(name).matches("[\\t\\x20-\\x7e\\x80-\\xff]*")) {
        // What the HTTP client sends (tab, printable ASCII, Latin-1); named, never quoted: header
        // values are often secrets.
        p.error(
            "headers." + name,
            "must hold only tabs and printable Latin-1 characters (no CR, LF, NUL or DEL)");
      }
    }
    List<Integer> expect = statuses(p);
    Duration timeout = p.duration("timeout");
    return new Spec(
        method == null ? "GET" : method.toUpperCase(Locale.ROOT),
        url,
        headers,
        p.string("body"),
        expect,
        timeout == null ? DEFAULT_TIMEOUT : timeout);
  }

  private static URI url(Params p, String text) {
    if (text == null) {
      return null;
    }
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        p.error("url", "must be an http or https URL, was '" + text + "'");
      } else if (uri.getHost() == null) {
        p.error("url", "has no host: '" + text + "'");
      } else if (uri.getRawUserInfo() != null) {
        // The HTTP client would drop it and send no credentials; never quote it either.
        p.error("url", "must not carry user:password@; send credentials in headers.Authorization");
      } else {
        return uri;
      }
    } catch (URISyntaxException e) {
      p.error("url", "is not a URL: " + e.getMessage());
    }
    return null;
  }

  private static List<Integer> statuses(Params p) {
    if (!p.has("expect_status")) {
      return List.of();
    }
    Object value = p.raw("expect_status");
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      p.error("expect_status", "must be a non-empty list of statuses like [200, 204]");
      return List.of();
    }
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Long status = p.wholeNumber("expect_status[" + i + "]", list.get(i), 100, 599);
      if (status != null) {
        out.add(status.intValue());
      }
    }
    return out;
  }

  @Override
  public void run(JobContext ctx) throws Exception {
    Params p = new Params(ctx.params(), FIELDS);
    Spec spec = read(p);
    p.check(JobKinds.HTTP);
    BodyTail body = new BodyTail();
    CompletableFuture<HttpResponse<Void>> exchange =
        client()
            .sendAsync(
                request(spec), info -> HttpResponse.BodySubscribers.ofByteArrayConsumer(body));
    HttpResponse<Void> response;
    try {
      response = exchange.get(spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw timedOut(spec);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof java.net.http.HttpTimeoutException) {
        throw timedOut(spec); // the request's own timeout, a hair before ours
      }
      throw new JobFailedException(
          spec.method() + " " + shown(spec.url()) + ": " + describe(e.getCause()));
    } finally {
      exchange.cancel(true); // a no-op once complete; ends the exchange when interrupted
    }
    int status = response.statusCode();
    ctx.log(spec.method() + " " + shown(spec.url()) + " -> " + status);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("status", status);
    result.put("body", body.text());
    result.put("body_bytes", body.total());
    result.put("body_truncated", body.total() > BODY_LIMIT);
    ctx.result(result);
    boolean expected = spec.expect().isEmpty() ? status / 100 == 2 : spec.expect().contains(status);
    if (!expected) {
      throw new JobFailedException(
          "unexpected status "
              + status
              + " (expected "
              + (spec.expect().isEmpty() ? "2xx" : spec.expect())
              + ")");
    }
  }

  /**
   * The URL as logs and errors show it: {@code scheme://host[:port]/path}, never the user info, the
   * query or the fragment (where tokens and passwords go).
   */
  static String shown(URI url) {
    return url.getScheme()
        + "://"
        + (url.getHost() == null ? "" : url.getHost())
        + (url.getPort() < 0 ? "" : ":" + url.getPort())
        + (url.getRawPath() == null ? "" : url.getRawPath());
  }

  private static JobFailedException timedOut(Spec spec) {
    return new JobFailedException(
        spec.method() + " " + shown(spec.url()) + ": no response within " + spec.timeout());
  }

  private static HttpRequest request(Spec spec) throws JobFailedException {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(spec.url())
            .timeout(spec.timeout())
            .method(
                spec.method(),
                spec.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(spec.body()));
    try {
      spec.headers().forEach(builder::header);
      return builder.build();
    } catch (IllegalArgumentException e) {
      // The JDK's message may quote the header's value: name the header only.
      throw new JobFailedException(
          "headers: a header the HTTP client refuses (" + names(spec) + ")");
    }
  }

  private static String names(Spec spec) {
    return String.join(", ", spec.headers().keySet());
  }

  private static String describe(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank()
        ? failure.getClass().getSimpleName()
        : failure.getClass().getSimpleName() + ": " + message;
  }

  private HttpClient client() {
    HttpClient c = client;
    if (c == null) {
      synchronized (this) {
        c = client;
        if (c == null) {
          c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
          client = c;
        }
      }
    }
    return c;
  }

  /** The last {@value #BODY_LIMIT} bytes of the body, and how many came in all. */
  private static final class BodyTail implements java.util.function.Consumer<Optional<byte[]>> {
    private final byte[] ring = new byte[BODY_LIMIT];
    private long total;

    @Override
    public synchronized void accept(Optional<byte[]> chunk) {
      chunk.ifPresent(
          bytes -> {
            for (byte b : bytes) {
              ring[(int) (total++ % BODY_LIMIT)] = b;
            }
          });
    }

    synchronized long total() {
      return total;
    }

    synchronized String text() {
      int size = (int) Math.min(total, BODY_LIMIT);
      byte[] out = new byte[size];
      for (int i = 0; i < size; i++) {
        out[i] = ring[(int) ((total - size + i) % BODY_LIMIT)];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }
}
