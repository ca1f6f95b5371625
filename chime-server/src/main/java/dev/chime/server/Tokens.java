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
 * {@code #} are ignored. Make a hash with {@code printf %s "$TOKEN" | sha256sum}. An error names
 * the line (or, for tokens given as a map, the role) but never shows its text: a token may have
 * been written where its hash goes.
 */
public final class Tokens {
  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

  private static final String NOT_A_HASH =
      "a token hash must be 64 lower-case hex digits (SHA-256: printf %s \"$TOKEN\" | sha256sum);"
          + " this is not one, and is not shown, as it may be the token itself";

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
        Role role = role(line.substring(0, colon));
        String hash = line.substring(colon + 1);
        if (!isHash(hash)) {
          throw new IllegalArgumentException(NOT_A_HASH);
        }
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

  /** The role before a line's colon; the text is not shown (a swapped line has the token there). */
  private static Role role(String text) {
    try {
      return Role.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "the role must be admin, operator or viewer (what is there is not shown, as it may be"
              + " a token)"); // not chained: the cause's message shows the text
    }
  }

  /** Checks that every key is a hash; a bad one is named by its role, never shown. */
  static void requireHashes(Map<String, Role> hashes) {
    hashes.forEach(
        (hash, role) -> {
          if (!isHash(hash)) {
            throw new IllegalArgumentException(
                "tokens: the " + role + " token's hash: " + NOT_A_HASH);
          }
        });
  }

  private static boolean isHash(String text) {
    return text != null && HASH.matcher(text).matches();
  }
}
