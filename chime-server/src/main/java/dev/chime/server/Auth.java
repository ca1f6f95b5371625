package dev.chime.server;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Bearer tokens with roles. With no token configured the server only listens on loopback (it
 * refuses to start otherwise), every request counts as admin, and a request from another address is
 * refused (403) in case the network is bridged. A missing or unknown token is 401, a token without
 * the role 403.
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

  /** Whether the address (a literal IP or host name) is a loopback address. */
  static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
