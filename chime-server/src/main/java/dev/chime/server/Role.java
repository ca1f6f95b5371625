package dev.chime.server;

import java.util.Locale;

/** What a token may do; each role includes the ones before it. */
public enum Role {
  /** Reads jobs, runs, nodes and the stream. */
  VIEWER,
  /** Also runs, pauses, resumes and cancels, and publishes events. */
  OPERATOR,
  /** Everything: also creates, replaces and deletes jobs. */
  ADMIN;

  /** Whether a token with this role may do what {@code needed} allows. */
  public boolean allows(Role needed) {
    return compareTo(needed) >= 0;
  }

  /** The role named (any case); names the allowed names otherwise. */
  public static Role parse(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "role must be admin, operator or viewer, was '" + name + "'", e);
    }
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
