package dev.chime.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * Copies the SQLite native library that sqlite-jdbc would load on this machine out of the jar, for
 * the launcher ({@code ./chime}), which runs it once per build and then starts {@code chime serve}
 * with sqlite-jdbc's {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name} pointing at the
 * copy.
 *
 * <p>Without them, sqlite-jdbc finds its library on every start: it runs {@code uname} in a child
 * process (to tell Android from Linux), names a fresh copy in the temporary directory with a random
 * UUID (which initialises {@code SecureRandom} and the security providers) and writes about 1 MB
 * there. That start-up work loaded about 150 classes and started the process-reaper thread, all of
 * which an idle server kept (docs/benchmarks.md, Server). With the properties it simply loads the
 * file, and falls back to its own extraction when the file does not load.
 */
public final class SqliteLibrary {
  private SqliteLibrary() {}

  /** {@code SqliteLibrary FILE}: writes the library to FILE; exit 1 with a message on failure. */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: SqliteLibrary FILE");
      System.exit(Main.USAGE);
    }
    try {
      extract(Path.of(args[0]));
    } catch (IOException | RuntimeException e) {
      System.err.println("cannot copy the SQLite native library to " + args[0] + ": " + e);
      System.exit(Main.FAILED);
    }
  }

  /** Where in the jar sqlite-jdbc keeps the library for this machine. */
  static String resource() {
    return "/org/sqlite/native/"
        + OSInfo.getNativeLibFolderPathForCurrentOS()
        + "/"
        + System.mapLibraryName("sqlitejdbc");
  }

  /**
   * Writes the library for this machine to {@code target}, replacing it atomically (a server
   * starting meanwhile sees the old file or the new one, never half of one).
   */
  static void extract(Path target) throws IOException {
    String resource = resource();
    Path folder = target.toAbsolutePath().getParent();
    Files.createDirectories(folder);
    Path partial = Files.createTempFile(folder, target.getFileName().toString(), ".partial");
    try (InputStream library = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
      if (library == null) {
        throw new IOException("sqlite-jdbc has no native library " + resource);
      }
      Files.copy(library, partial, StandardCopyOption.REPLACE_EXISTING);
      Files.move(
          partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }
}
