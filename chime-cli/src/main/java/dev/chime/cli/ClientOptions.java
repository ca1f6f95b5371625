package dev.chime.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The options every client command shares: which server, and whether to print raw JSON. */
final class ClientOptions {
  /** The server unless {@code --server} or {@code CHIME_SERVER} says otherwise. */
  static final String DEFAULT_SERVER = "http://127.0.0.1:8080";

  private static final String API = "/api/v1";

  private static final int MAX_PORT = 65_535;

  /** A user name or password: an {@code @} before the path, query or fragment. */
  private static final Pattern USER_INFO = Pattern.compile("^([^/?#]*://)?[^/?#]*@");

  @Option(
      names = "--server",
      paramLabel = "URL",
      description = "The Chime server. Default: $CHIME_SERVER, else " + DEFAULT_SERVER + ".")
  String server;

  @Option(names = "--json", description = "Print the server's JSON as is, for scripts.")
  boolean json;

  /** A client for the chosen server with the token from {@code CHIME_TOKEN}. */
  ApiClient connect(Main.Environment environment) {
    String chosen = server != null ? server : environment.variable("CHIME_SERVER");
    String what = server != null ? "--server" : "CHIME_SERVER";
    URI uri = chosen == null ? URI.create(DEFAULT_SERVER) : parse(what, chosen);
    return new ApiClient(uri, environment.variable("CHIME_TOKEN")); // it refuses a bad token
  }

  /**
   * The server's base URL: its root (or the prefix a proxy serves it under), without a trailing
   * slash. The API's own {@code /api/v1} at the end is the same server (requests add it), so it is
   * dropped rather than doubled; a query or fragment has no place in a base and is refused.
   */
  private static URI parse(String what, String text) {
    if (USER_INFO.matcher(text).find()) {
      // Never shown: the part before the @ may be a password.
      throw new Main.UsageError(
          what
              + ": a user name or password in the URL is not used; give the URL without it (like "
              + DEFAULT_SERVER
              + ") and the token in CHIME_TOKEN");
    }
    try {
      String base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
      if (base.endsWith(API)) {
        base = base.substring(0, base.length() - API.length());
      }
      URI uri = new URI(base);
      if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
        throw new Main.UsageError(
            what
                + ": '"
                + shown(text)
                + "' has a query or fragment; give the server's base URL only");
      }
      if (uri.getPort() == 0 || uri.getPort() > MAX_PORT) {
        throw new Main.UsageError(
            what
                + ": '"
                + text
                + "' has port "
                + uri.getPort()
                + " (a port is 1-"
                + MAX_PORT
                + ")");
      }
      // A scheme is case-insensitive (RFC 3986, 3.1): HTTP:// is http://.
      if (("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new Main.UsageError(
        what
            + ": '"
            + shown(text)
            + "' is not an http:// or https:// URL (like "
            + DEFAULT_SERVER
            + ")");
  }

  /** The URL up to its first ? or #: what follows may be a token (?token=, #access_token=). */
  private static String shown(String text) {
    int start = text.replace('#', '?').indexOf('?');
    return start < 0 ? text : text.substring(0, start + 1) + "...";
  }
}
