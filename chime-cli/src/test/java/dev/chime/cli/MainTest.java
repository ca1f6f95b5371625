package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {

  @Test
  void help() {
    CliRun help = CliRun.of("--help");
    assertThat(help.code()).isZero();
    assertThat(help.lines()).first().isEqualTo("Usage: chime [-hV] [COMMAND]");
    assertThat(help.lines()).anyMatch(line -> line.strip().startsWith("cron "));
    assertThat(help.err()).isEmpty();
    CliRun cronHelp = CliRun.of("cron", "next", "--help");
    assertThat(cronHelp.code()).isZero();
    assertThat(String.join("\n", cronHelp.lines()))
        .contains("--from")
        .contains("--key")
        .contains("--count")
        .contains("--dialect")
        .contains("--zone");
  }

  @Test
  void versionAtEveryLevel() {
    // Outside the shaded jar there is no manifest version.
    assertThat(CliRun.of("--version").lines()).containsExactly("chime development build");
    assertThat(CliRun.of("cron", "--version").lines()).containsExactly("chime development build");
    assertThat(CliRun.of("cron", "next", "-V").lines()).containsExactly("chime development build");
    assertThat(CliRun.of("cron", "explain", "--version").code()).isZero();
  }

  @Test
  void anUnknownSubcommandExitsTwoWithPicocliMessage() {
    CliRun run = CliRun.of("xyzzy");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.lines()).isEmpty();
    assertThat(run.err())
        .startsWith("chime: Unmatched argument at index 0: 'xyzzy'\n")
        .contains("Usage: chime");
  }

  @Test
  void aNearMissSuggestsTheCommand() {
    CliRun run = CliRun.of("crn");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("chime: Unmatched argument at index 0: 'crn'")
        .contains("cron");
  }

  @Test
  void noSubcommandExitsTwo() {
    CliRun none = CliRun.of();
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.err()).startsWith("chime: Missing required subcommand");
    CliRun cron = CliRun.of("cron");
    assertThat(cron.code()).isEqualTo(2);
    assertThat(cron.err()).contains("Usage: chime cron");
  }

  @Test
  void anOperationThatFailsExitsOneWithoutAStackTrace() {
    // A failure that is not bad input: the system zone cannot be used.
    CliRun run = CliRun.in(null, "cron", "next", "0 3 * * *", "--count", "1");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).startsWith("chime: ").doesNotContain("\tat ");
    assertThat(run.err().lines()).hasSize(1);
  }

  @Test
  void anArgumentStartingWithAnAtSignIsNotReadFromAFile(@TempDir Path dir) throws IOException {
    // picocli resolves @NAME against the JVM's working directory, so an absolute path stands in
    // for `cron next @daily` run in a directory that holds a file named daily.
    Path daily = Files.writeString(dir.resolve("daily"), "@hourly");
    CliRun fromFile = CliRun.of("cron", "next", "@" + daily, "--count", "1");
    assertThat(fromFile.code()).isEqualTo(2);
    assertThat(fromFile.lines()).isEmpty();
    assertThat(fromFile.err()).startsWith("chime: invalid cron expression '@" + daily + "': ");
    Path data = Files.writeString(dir.resolve("data"), "{\"version\": 1}");
    CliRun publish = CliRun.of("events", "publish", "deploy", "--data", "@" + data);
    assertThat(publish.code()).isEqualTo(2);
    assertThat(publish.err()).startsWith("chime: --data: not JSON");
    CliRun macro = CliRun.of("cron", "next", "@daily", "--count", "1");
    assertThat(macro.code()).isZero();
    assertThat(macro.lines()).containsExactly("2026-11-25T00:00:00Z");
  }

  /** A stream whose every write fails, as stdout does when it is /dev/full. */
  static Writer full() {
    return failing("No space left on device");
  }

  /** A stream whose every write fails with the message. */
  static Writer failing(String message) {
    return new Writer() {
      @Override
      public void write(char[] chars, int offset, int length) throws IOException {
        throw new IOException(message);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
  }

  private static int run(PrintWriter out, PrintWriter err, String... args) {
    return Main.run(args, out, err, Clock.fixed(CliRun.NOW, ZoneOffset.UTC), ZoneOffset.UTC);
  }

  @Test
  void outputThatCannotBeWrittenIsAFailure() {
    StringWriter err = new StringWriter();
    int code = run(new PrintWriter(full()), new PrintWriter(err), "cron", "next", "0 0 * * *");
    assertThat(code).isEqualTo(1);
    assertThat(err).hasToString("chime: cannot write the output: write error\n");
    StringWriter helpErr = new StringWriter();
    assertThat(run(new PrintWriter(full()), new PrintWriter(helpErr), "--help")).isEqualTo(1);
    assertThat(helpErr.toString()).startsWith("chime: cannot write the output: ");
    // A command that failed keeps its code, whether or not its message could be written.
    StringWriter out = new StringWriter();
    assertThat(run(new PrintWriter(out), new PrintWriter(full()), "cron", "next", "0 0 ? * *"))
        .isEqualTo(2);
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void theFailureSaysWhyWritingFailed() {
    StringWriter err = new StringWriter();
    int code = run(new Output(full()), new Output(err), "cron", "next", "0 0 * * *");
    assertThat(code).isEqualTo(1);
    assertThat(err).hasToString("chime: cannot write the output: No space left on device\n");
    assertThat(Output.failure(new Output(new StringWriter()))).isEmpty();
  }

  @Test
  void progressIsDrawnOnlyWhenStderrIsATerminal(@TempDir Path fds) throws IOException {
    Path stderr = fds.resolve("2");
    for (String device : new String[] {"/dev/pts/3", "/dev/tty1", "/dev/tty"}) {
      Files.deleteIfExists(stderr);
      Files.createSymbolicLink(stderr, Path.of(device));
      assertThat(Main.stderrIsTerminal(fds, () -> false)).as(device).isTrue();
    }
    for (String other : new String[] {"/tmp/err.txt", "pipe:[4026]", "/dev/null"}) {
      Files.delete(stderr);
      Files.createSymbolicLink(stderr, Path.of(other));
      assertThat(Main.stderrIsTerminal(fds, () -> true)).as(other).isFalse();
    }
    Files.delete(stderr); // stderr closed
    assertThat(Main.stderrIsTerminal(fds, () -> true)).isFalse();
    Path noProc = fds.resolve("no-such-directory");
    assertThat(Main.stderrIsTerminal(noProc, () -> true)).isTrue();
    assertThat(Main.stderrIsTerminal(noProc, () -> false)).isFalse();
    // This test's own stderr is surefire's pipe.
    Path proc = Path.of("/proc/self/fd");
    if (Files.isDirectory(proc)) {
      assertThat(Main.stderrIsTerminal(proc, () -> true)).isFalse();
    }
  }

  @Test
  void aPathThatCannotBeUsedIsOneLineNamingIt() {
    CliRun plan = CliRun.of("plan", "jobs\uD800.yaml");
    assertThat(plan.code()).isEqualTo(2);
    assertThat(plan.err())
        .isEqualTo(
            "chime: Invalid value for positional parameter at index 0..* (FILE): 'jobs\uD800.yaml'"
                + " is not a usable path: Malformed input or input contains unmappable characters"
                + " (the locale's character set cannot hold it: use a UTF-8 locale, such as"
                + " LC_ALL=C.UTF-8)\n");
    CliRun serve = CliRun.of("serve", "--data", "a\0b");
    assertThat(serve.code()).isEqualTo(2);
    assertThat(serve.err())
        .isEqualTo(
            "chime: Invalid value for option '--data': 'a\0b' is not a usable path: Nul character"
                + " not allowed\n");
    // A number is as one line too, without the usage after it.
    CliRun count = CliRun.of("cron", "next", "0 3 * * *", "--count", "ten");
    assertThat(count.err())
        .isEqualTo("chime: Invalid value for option '--count': 'ten' is not a whole number\n");
  }

  @Test
  void aReaderThatStoppedReadingFailsQuietly() {
    StringWriter err = new StringWriter();
    Writer closedPipe = failing("Broken pipe");
    int code = run(new Output(closedPipe), new Output(err), "cron", "next", "0 0 * * *");
    assertThat(code).isEqualTo(1);
    assertThat(err).hasToString("");
  }
}
