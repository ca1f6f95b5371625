package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
    CliRun failure = CliRun.of("serve", "--bind", "0.0.0.0", "--port", "0");
    assertThat(failure.code()).isEqualTo(1);
    assertThat(failure.err()).contains("refusing to listen on 0.0.0.0 without tokens");
  }
}
