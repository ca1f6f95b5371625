package dev.chime.server;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/** Query and path parameters, read strictly: a bad value is a problem naming the parameter. */
final class Params {
  /** A page unless {@code limit} says otherwise. */
  static final int DEFAULT_LIMIT = 100;

  /** The largest page. */
  static final int MAX_LIMIT = 1000;

  private Params() {}

  /**
   * Refuses a body on an action that takes none ({@code what}, like "a resume"): nothing, or an
   * empty JSON object, passes; a key is 422 naming it (it would have been ignored), and text that
   * is not JSON is 400.
   */
  static void noBody(Context ctx, String what) {
    String body = ctx.body();
    if (body.isBlank()) {
      return;
    }
    java.util.Set<String> keys = Json.readObject(body).keySet();
    if (!keys.isEmpty()) {
      String key = keys.iterator().next();
      throw ApiException.invalid(key, "unknown key '" + key + "'; " + what + " takes no body");
    }
  }

  /** The single value of the query parameter, or null; 400 if it is given twice. */
  static String query(Context ctx, String name) {
    List<String> values = ctx.queryParams(name);
    if (values.size() > 1) {
      throw ApiException.malformed(name, "query parameter " + name + " is given more than once");
    }
    return values.isEmpty() ? null : values.get(0);
  }

  /** An integer parameter in the range, or the default when absent. */
  static int integer(Context ctx, String name, int fallback, int low, int high) {
    String text = query(ctx, name);
    if (text == null) {
      return fallback;
    }
    int value;
    try {
      value = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw ApiException.malformed(name, name + " must be a whole number, was '" + text + "'");
    }
    if (value < low || value > high) {
      throw ApiException.invalid(name, name + " must be " + low + "-" + high + ", was " + value);
    }
    return value;
  }

  /** The page size from {@code limit}: 1-{@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT}. */
  static int limit(Context ctx) {
    return integer(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
  }

  /** A boolean parameter: true or false, default false. */
  static boolean flag(Context ctx, String name) {
    String text = query(ctx, name);
    if (text == null || text.equals("false")) {
      return false;
    }
    if (text.equals("true") || text.isEmpty()) {
      return true;
    }
    throw ApiException.malformed(name, name + " must be true or false, was '" + text + "'");
  }

  /** A parameter read by the parser, whose IllegalArgumentException becomes 422 naming it. */
  static <T> T parsed(Context ctx, String name, Function<String, T> parser) {
    String text = query(ctx, name);
    return text == null ? null : parsed(name, text, parser);
  }

  static <T> T parsed(String name, String text, Function<String, T> parser) {
    try {
      return parser.apply(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid(name, name + ": " + e.getMessage());
    }
  }

  /** An opaque cursor of the kind ("job" or "run") for the last key of a page. */
  static String cursor(String kind, String key) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + ":" + key).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The key in the {@code cursor} parameter, or null; 400 when it is not a cursor of the kind this
   * server handed out.
   */
  static String cursorKey(Context ctx, String kind) {
    String text = query(ctx, "cursor");
    if (text == null) {
      return null;
    }
    try {
      String key = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
      if (!key.startsWith(kind + ":") || key.length() == kind.length() + 1) {
        throw new IllegalArgumentException("not a " + kind + " cursor");
      }
      return key.substring(kind.length() + 1);
    } catch (IllegalArgumentException e) {
      throw ApiException.malformed(
          "cursor", "cursor '" + text + "' is not a cursor this server handed out");
    }
  }
}
