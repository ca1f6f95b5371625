package dev.chime.bench.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Peer versions from the build (the shaded jar keeps no manifest of theirs). */
public final class Versions {
  private static final Properties VERSIONS = load();

  private Versions() {}

  /** The version of {@code library} as the build resolved it, or "?". */
  public static String of(String library) {
    return VERSIONS.getProperty(library, "?");
  }

  private static Properties load() {
    Properties versions = new Properties();
    try (InputStream in = Versions.class.getResourceAsStream("versions.properties")) {
      if (in != null) {
        versions.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return versions;
  }
}
