package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class ServeArgumentsTest {
  @TempDir Path dir;

  /** serve's options (not help and version), as picocli's model of the command has them. */
  private static List<OptionSpec> options(ServeCommand command) {
    return new CommandLine(command)
        .getCommandSpec().options().stream()
            .filter(option -> !option.usageHelp() && !option.versionHelp())
            .toList();
  }

  /** Every option's value, by its name. */
  private static Map<String, Object> values(ServeCommand command) {
    Map<String, Object> values = new TreeMap<>();
    for (OptionSpec option : options(command)) {
      values.put(option.longestName(), option.getValue());
    }
    return values;
  }

  private static Map<String, Object> picocli(List<String> args) {
    ServeCommand command = new ServeCommand();
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return values(command);
  }

  private static Optional<ServeCommand> parse(List<String> args) {
    return ServeArguments.parse(args.toArray(String[]::new), 0);
  }

  @Test
  void thePlainCaseReadsWhatPicocliReads() {
    List<List<String>> cases =
        List.of(
            List.of(),
            List.of("--data", "/tmp/chime data", "--port", "0"),
            List.of("--port=8081", "--bind=127.0.0.1", "--exit-when-ready"),
            List.of("--config", "jobs.yaml", "--db", "jdbc:postgresql://h/db?user=u&ssl=true"),
            List.of("--db=jdbc:sqlite:a=b.db", "--tokens", "tokens.txt", "--plugins", "plugins"),
            List.of("--grace", "10s", "--max-concurrency", "8", "--retention", "7d"),
            List.of("--keep-runs", "123456789", "--log-format", "json", "--port", "65535"),
            List.of("--exit-when-ready", "--data", "d", "--log-format", "text"));
    for (List<String> args : cases) {
      Optional<ServeCommand> parsed = parse(args);
      assertThat(parsed).as("%s", args).isPresent();
      assertThat(values(parsed.get())).as("%s", args).isEqualTo(picocli(args));
    }
    ServeCommand some = parse(List.of("--port", "7", "--data", "x")).orElseThrow();
    assertThat(some.port).isEqualTo(7);
    assertThat(some.data).isEqualTo(Path.of("x"));
    assertThat(some.config).isNull();
    assertThat(some.exitWhenReady).isFalse();
  }

  @Test
  void everythingElseIsLeftToPicocli() {
    List<List<String>> cases =
        List.of(
            List.of("--help"),
            List.of("-h"),
            List.of("--version"),
            List.of("--prot", "8080"),
            List.of("--port", "1", "--port", "2"),
            List.of("--port=1", "--port", "2"),
            List.of("--data"),
            List.of("--data", "--port", "1"),
            List.of("--data="),
            List.of("--grace", "-1s"),
            List.of("--port", "abc"),
            List.of("--port", "08"),
            List.of("--port", "+8"),
            List.of("--port", "0x10"),
            List.of("--port", "9999999999"),
            List.of("--exit-when-ready=true"),
            List.of("@args.txt"),
            List.of("--config", "@jobs.yaml"),
            List.of("--db", "\"jdbc:sqlite:x\""),
            List.of("--data", "x\0y"),
            List.of("positional"),
            List.of("--", "--port", "1"));
    for (List<String> args : cases) {
      assertThat(parse(args)).as("%s", args).isEmpty();
    }
  }

  @Test
  void everyOptionOfServeIsRead() {
    Map<Class<?>, String> samples =
        Map.of(Integer.class, "3", Path.class, "some/where", String.class, "text");
    List<OptionSpec> options = options(new ServeCommand());
    assertThat(options).hasSizeGreaterThanOrEqualTo(13);
    for (OptionSpec option : options) {
      Class<?> type = option.type();
      List<String> args =
          type == boolean.class
              ? List.of(option.longestName())
              : List.of(option.longestName(), samples.getOrDefault(type, "?"));
      assertThat(samples.containsKey(type) || type == boolean.class)
          .as("ServeArguments reads no %s (%s)", type.getName(), option.longestName())
          .isTrue();
      assertThat(parse(args)).as("%s", args).isPresent();
      assertThat(values(parse(args).orElseThrow())).as("%s", args).isEqualTo(picocli(args));
    }
  }

  @Test
  void chimeServeRunsOnEitherPath() {
    CliRun plain =
        CliRun.of("serve", "--data", dir.resolve("a").toString(), "--port=0", "--exit-when-ready");
    assertThat(plain.code()).as(plain.err()).isZero();
    assertThat(plain.out()).contains("Chime listening on http://127.0.0.1:");
    CliRun settings = CliRun.of("serve", "--port", "70000");
    assertThat(settings.code()).isEqualTo(2);
    assertThat(settings.err()).contains("port must be 0-65535, was 70000");
    CliRun mistake = CliRun.of("serve", "--port", "eighty");
    assertThat(mistake.code()).isEqualTo(2);
    assertThat(mistake.err()).contains("Invalid value for option '--port'");
    CliRun refused = CliRun.of("serve", "--bind", "0.0.0.0", "--port", "0");
    assertThat(refused.code()).as("invalid input").isEqualTo(2);
    assertThat(refused.err()).contains("refusing to listen on 0.0.0.0 without tokens");
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CliRun failure =
          CliRun.of(
              "serve",
              "--data",
              dir.resolve("b").toString(),
              "--port",
              Integer.toString(taken.getLocalPort()));
      assertThat(failure.code()).as("a port in use: it failed").isEqualTo(1);
      assertThat(failure.err()).startsWith("chime serve: ");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A class loader of its own over the test's class path, to see what a run loads. */
  private static final class Isolated extends URLClassLoader {
    Isolated() throws MalformedURLException {
      super(classPath(), ClassLoader.getPlatformClassLoader());
    }

    private static URL[] classPath() throws MalformedURLException {
      List<URL> urls = new ArrayList<>();
      for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
        urls.add(Path.of(entry).toUri().toURL());
      }
      return urls.toArray(URL[]::new);
    }

    boolean loaded(String name) {
      return findLoadedClass(name) != null;
    }

    /** Main.run with these arguments, in this loader; returns the exit code. */
    int run(String... args) throws Throwable {
      Thread thread = Thread.currentThread();
      ClassLoader before = thread.getContextClassLoader();
      thread.setContextClassLoader(this);
      try {
        // A method handle, not reflection: Class.getDeclaredMethod resolves the types of all of
        // Main's methods, picocli's among them.
        Class<?> main = Class.forName(Main.class.getName(), true, this);
        MethodHandle run =
            MethodHandles.privateLookupIn(main, MethodHandles.lookup())
                .findStatic(
                    main,
                    "run",
                    MethodType.methodType(
                        int.class,
                        String[].class,
                        PrintWriter.class,
                        PrintWriter.class,
                        Clock.class,
                        ZoneId.class));
        PrintWriter sink = new PrintWriter(new StringWriter());
        return (int) run.invoke(args, sink, sink, Clock.systemUTC(), ZoneOffset.UTC);
      } finally {
        thread.setContextClassLoader(before);
      }
    }
  }

  @Test
  void aPlainServeDoesNotLoadPicocli() throws Throwable {
    try (Isolated plain = new Isolated()) {
      String data = dir.resolve("plain").toString();
      assertThat(plain.run("serve", "--data", data, "--port", "0", "--exit-when-ready")).isZero();
      assertThat(plain.loaded("dev.chime.cli.ServeArguments")).isTrue();
      assertThat(plain.loaded("picocli.CommandLine")).isFalse();
    }
    try (Isolated help = new Isolated()) {
      assertThat(help.run("serve", "--help")).isZero();
      assertThat(help.loaded("picocli.CommandLine")).isTrue();
    }
  }
}
