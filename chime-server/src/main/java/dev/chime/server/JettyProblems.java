package dev.chime.server;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error handler, for the requests Jetty refuses before Javalin sees them: a path that is
 * not UTF-8 or holds a NUL or another character a path may not, a bad {@code Host}, a target (414)
 * or headers (431) too large. Jetty answered those with HTML pages; this answers them as every
 * other refusal is answered, with an {@code application/problem+json} body, for any method and
 * whatever the client accepts.
 */
final class JettyProblems extends ErrorHandler {
  /** The paths Jetty gives a request whose own target it could not read. */
  private static final Set<String> PLACEHOLDERS = Set.of("/badMessage", "/badURI");

  @Override
  public boolean errorPageForMethod(String method) {
    return true; // the API's own refusals have a body for every method (Jetty sends none for HEAD)
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int code, String message, Throwable cause, Callback c) {
    String path = request.getHttpURI().getPath();
    String instance = path == null || PLACEHOLDERS.contains(path) ? null : path;
    Throwable why = cause == null ? null : cause.getCause();
    String reason =
        why == null || why.getMessage() == null ? message : message + " (" + why.getMessage() + ")";
    byte[] body =
        Problems.utf8(Problems.problem(code, null, detail(code, reason), List.of(), instance));
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, Problems.CONTENT_TYPE);
    response.write(true, ByteBuffer.wrap(body), c);
  }

  /** What the client is told; Jetty's message (and its cause's) says which rule it broke. */
  static String detail(int code, String message) {
    return switch (code) {
      case 414 -> "the request's target (path and query) is too long";
      case 431 -> "the request's headers are too large";
      default ->
          code >= 400 && code < 500
              ? "the request cannot be read" + (message == null ? "" : ": " + message)
              : (message == null ? Problems.title(code) : message);
    };
  }
}
