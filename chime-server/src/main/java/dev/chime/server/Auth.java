package dev.chime.server;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Bearer tokens with roles. With no token configured the server only listens on loopback (it
 * refuses to start otherwise), every request counts as admin, and a request from another address is
 * refused (403) in case the network is bridged. So that a web page in the user's browser cannot
 * drive it (a cross-site POST of a command job, or DNS rebinding), a request whose Host is not a
 * loopback name, or that carries an Origin of another host, is refused (403) too. A missing or
 * unknown token is 401, a token without the role 403.
 */
final class Auth {
  private final Tokens tokens;

  Auth(Tokens tokens) {
    this.tokens = tokens;
  }

  /** The caller's role, checked to allow {@code needed}; throws 401 or 403 otherwise. */
  Role require(Context ctx, Role needed) {
    if (tokens.isEmpty()) {
      if (!isLoopback(ctx.req().getRemoteAddr())) {
        throw new ApiException(
            403, null, "without tokens this server answers only loopback clients", List.of());
      }
      String host = ctx.header("Host");
      if (host != null && !isLoopbackName(hostOf(host))) {
        throw new ApiException(
            403,
            "Host",
            "without tokens this server answers only requests for a loopback host"
                + " (localhost, 127.0.0.1, [::1]), not '"
                + host
                + "'",
            List.of());
      }
      String origin = ctx.header("Origin");
      if (origin != null && !isLoopbackName(originHost(origin))) {
        throw new ApiException(
            403,
            "Origin",
            "without tokens this server refuses requests sent by a web page of another site ("
                + origin
                + ")",
            List.of());
      }
      return Role.ADMIN;
    }
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer realm=\"chime\"");
      throw new ApiException(
          401, null, "a token is required: send the header Authorization: Bearer TOKEN", List.of());
    }
    Role role =
        tokens
            .roleOf(header.substring(7).trim())
            .orElseThrow(
                () -> {
                  ctx.header("WWW-Authenticate", "Bearer realm=\"chime\", error=\"invalid_token\"");
                  return new ApiException(401, null, "the token is not valid", List.of());
                });
    if (!role.allows(needed)) {
      throw new ApiException(
          403, null, "a " + role + " token may not do this; it needs " + needed, List.of());
    }
    return role;
  }

  /**
   * Whether a name a client sent (Host, Origin) is {@code localhost} or a literal loopback IP.
   * Never resolves it: under DNS rebinding an attacker's name resolves to 127.0.0.1.
   */
  static boolean isLoopbackName(String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    boolean literal = host.contains(":") || digitsAndDots(host);
    return literal && isLoopback(host);
  }

  /**
   * Whether the text holds only ASCII digits and dots, as an IPv4 literal does; checked by hand,
   * not by {@code String.matches}, which compiles its pattern again on every request.
   */
  private static boolean digitsAndDots(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if ((c < '0' || c > '9') && c != '.') {
        return false;
      }
    }
    return true;
  }

  /** The host of a Host header ({@code name}, {@code name:port}, {@code [v6]:port}). */
  static String hostOf(String header) {
    String value = header.strip();
    if (value.startsWith("[")) {
      int end = value.indexOf(']');
      return end < 0 ? null : value.substring(1, end);
    }
    int colon = value.lastIndexOf(':');
    return colon < 0 ? value : value.substring(0, colon);
  }

  /** The host of an Origin header ({@code scheme://host[:port]}); null for "null" or junk. */
  static String originHost(String origin) {
    try {
      String host = java.net.URI.create(origin.strip()).getHost();
      return host != null && host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether the address (a literal IP or host name) is a loopback address. */
  static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
