package dev.chime.bench.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** Peer versions from the build (the shaded jar keeps no manifest of theirs). */
final class Versions {
  private static final Properties VERSIONS = load();

  private Versions() {}

  static String of(String library) {
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
