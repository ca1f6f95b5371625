package dev.chime.bench.harness;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Runs a measurement in a fresh JVM with a fixed heap and takes back what it measured. The forked
 * JVM runs {@code main(args..., OUTPUT)} of the given class, with every {@code -D} option of this
 * JVM, and writes its figures to OUTPUT with {@link #write}.
 */
public final class Fork {
  private Fork() {}

  /** What a forked JVM handed back: its exit code and the properties it wrote (maybe none). */
  public record Forked(int exit, Properties measured) {}

  /** Runs {@code main} with {@code -Xms/-Xmx heap} and {@code args}, and waits for it. */
  public static Forked run(Class<?> main, String heap, List<String> args)
      throws IOException, InterruptedException {
    Path output = Files.createTempFile("chime-bench-", ".properties");
    try {
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("-Xms" + heap);
      command.add("-Xmx" + heap);
      ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
          .filter(arg -> arg.startsWith("-D"))
          .forEach(command::add);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(main.getName());
      command.addAll(args);
      command.add(output.toString());
      int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
      Properties measured = new Properties();
      try (Reader in = Files.newBufferedReader(output)) {
        measured.load(in);
      }
      return new Forked(exit, measured);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  /** For the forked JVM: writes what it measured to the OUTPUT path it was given last. */
  public static void write(Path output, Properties measured, String comment) throws IOException {
    try (Writer out = Files.newBufferedWriter(output)) {
      measured.store(out, comment);
    }
  }
}
