package dev.chime.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API tokens, kept only as SHA-256 hashes. A tokens file has one {@code role:sha256hex} line per
 * token ({@code admin}, {@code operator} or {@code viewer}); blank lines and lines starting with
 * {@code #} are ignored. Make a hash with {@code printf %s "$TOKEN" | sha256sum}.
 */
public final class Tokens {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private final Map<String, Role> byHash;

  /** The tokens: SHA-256 hex to role. */
  public Tokens(Map<String, Role> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  /** Whether any token is configured. */
  public boolean isEmpty() {
    return byHash.isEmpty();
  }

  /** The role of the token presented, if it is one of ours. */
  public Optional<Role> roleOf(String token) {
    return Optional.ofNullable(byHash.get(sha256(token)));
  }

  /** The SHA-256 of the text in lower-case hex. */
  public static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** Reads a tokens file; fails listing every bad line as {@code file:line: message}. */
  public static Map<String, Role> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read tokens file "
              + file
              + ": "
              + dev.chime.server.spec.JobSpecs.unreadable(file, e));
    }
    Map<String, Role> tokens = new HashMap<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      try {
        int colon = line.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException("expected role:sha256hex");
        }
        String hash = requireHash(line.substring(colon + 1));
        Role role = Role.parse(line.substring(0, colon));
        Role before = tokens.putIfAbsent(hash, role);
        if (before != null) {
          throw new IllegalArgumentException(
              "the same token is listed again (as " + before + " before, now as " + role + ")");
        }
      } catch (IllegalArgumentException e) {
        errors.add(file + ":" + (i + 1) + ": " + e.getMessage());
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", errors));
    }
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("tokens file " + file + " lists no token");
    }
    return tokens;
  }

  /** The hash, checked to be 64 lower-case hex digits. */
  static String requireHash(String hash) {
    if (hash == null || !HASH.matcher(hash).matches()) {
      throw new IllegalArgumentException(
          "a token hash must be 64 lower-case hex digits (SHA-256), was '" + hash + "'");
    }
    return hash;
  }
}
