package dev.chime.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code chime} command. Only {@link #main} exits the JVM; everything else returns codes. */
@Command(
    name = "chime",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Chime: a job scheduler for the JVM.")
public final class Main {
  /** The subcommands, in the order {@code chime --help} lists them. */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
          CronCommand.class,
          ServeCommand.class,
          JobsCommand.class,
          RunsCommand.class,
          LogsCommand.class,
          PlanCommand.class,
          ApplyCommand.class,
          EventsCommand.class);

  /** Exit code for success. */
  static final int OK = 0;

  /** Exit code when the operation failed. */
  static final int FAILED = 1;

  /** Exit code for invalid input or usage. */
  static final int USAGE = 2;

  /** The message of the IOException for EPIPE: the reading end of the pipe was closed. */
  private static final String BROKEN_PIPE = "Broken pipe";

  private Main() {}

  /** Runs the CLI and exits with its code. */
  public static void main(String[] args) {
    PrintWriter out = Output.of(new FileOutputStream(FileDescriptor.out));
    PrintWriter err = Output.of(new FileOutputStream(FileDescriptor.err));
    // Whether stderr is a terminal matters only to progress displays; `chime serve` shows none, and
    // System.console() (the fallback) loads the JDK's console provider (jline and a module image
    // reader), which a long-running server would keep resident (docs/benchmarks.md, Server).
    boolean terminal =
        !serves(args) && stderrIsTerminal(Path.of("/proc/self/fd"), () -> System.console() != null);
    Environment environment =
        new Environment(Clock.systemUTC(), ZoneId.systemDefault(), System.getenv(), terminal);
    System.exit(run(args, out, err, environment));
  }

  /**
   * Whether stderr, where progress is shown, is a terminal: on Linux, whether its descriptor in
   * {@code fds} (/proc/self/fd) links to a terminal device. Where there is no such directory, the
   * fallback answers: System.console(), which says whether stdin and stdout are a terminal, so
   * `2>err.txt` on a terminal got spinner frames in the file, and a redirected stdout plain lines.
   */
  static boolean stderrIsTerminal(Path fds, BooleanSupplier fallback) {
    if (!Files.isDirectory(fds)) {
      return fallback.getAsBoolean();
    }
    try {
      String device = Files.readSymbolicLink(fds.resolve("2")).toString();
      return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false; // stderr is closed, or the entry is no link
    }
  }

  /** Runs the CLI with injected streams, clock and system zone; returns the exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err, Clock clock, ZoneId systemZone) {
    return run(args, out, err, new Environment(clock, systemZone));
  }

  /** Runs the CLI with injected streams and environment; returns the exit code. */
  static int run(String[] args, PrintWriter out, PrintWriter err, Environment environment) {
    if (serves(args)) {
      // The plain case of `chime serve` is read without picocli (ServeArguments says why); help,
      // version and every mistake still go through picocli below.
      Optional<ServeCommand> serve = ServeArguments.parse(args, 1);
      if (serve.isPresent()) {
        int code;
        try {
          code = serve.get().run(out, err);
        } catch (RuntimeException e) {
          code = failed(e, err);
        }
        return written(code, out, err);
      }
    }
    Factory factory = new Factory(environment);
    CommandLine line = new CommandLine(new Main(), factory);
    // `chime serve` gets only its own command: picocli reflects over every command it is given,
    // and a server started with arguments that only picocli reads (a value that starts with `-`,
    // or with `@`) would keep that model of the other 17 resident for nothing.
    for (Class<?> command : serves(args) ? List.of(ServeCommand.class) : SUBCOMMANDS) {
      line.addSubcommand(factory.instance(command));
    }
    line.registerConverter(Integer.class, Main::wholeNumber); // after the subcommands: all see it
    line.registerConverter(int.class, Main::wholeNumber);
    line.registerConverter(Path.class, Main::path);
    // An argument is what it says: picocli would read `@NAME` as the words of the file NAME when
    // one exists, so `cron next @daily` in a directory holding a file `daily` computed another
    // schedule, and a job id or --data starting with @ was taken from a file.
    line.setExpandAtFiles(false); // after the subcommands too
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler((exception, command, parsed) -> failed(exception, err));
    line.setParameterExceptionHandler(
        (exception, arguments) -> {
          err.println("chime: " + exception.getMessage());
          // A value that cannot be read is named in that line (our converters say why); the usage
          // text after it would only bury it.
          if (!(exception.getCause() instanceof CommandLine.TypeConversionException)
              && !CommandLine.UnmatchedArgumentException.printSuggestions(exception, err)) {
            exception.getCommandLine().usage(err);
          }
          return USAGE;
        });
    return written(line.execute(args), out, err);
  }

  /**
   * The exit code once the output is written: a command that did what it was asked but whose output
   * could not be written (a full disk) failed, and says so on stderr if it can. A command that
   * failed keeps its own code. A reader that stopped reading (`chime runs backup | head -1`) is no
   * news: that fails quietly, as a tool that SIGPIPE ends does.
   */
  private static int written(int code, PrintWriter out, PrintWriter err) {
    Optional<String> failure = Output.failure(out).or(() -> Output.failure(err));
    if (failure.isEmpty()) {
      return code;
    }
    if (!failure.get().equals(BROKEN_PIPE)) {
      err.println("chime: cannot write the output: " + failure.get());
      err.flush();
    }
    return code == OK ? FAILED : code;
  }

  /**
   * A whole-number option's value. picocli's own converter calls a number too large for an int "not
   * an int", which reads as if it were not a number at all; this one says which it is.
   */
  private static Integer wholeNumber(String text) {
    try {
      return Integer.valueOf(text);
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException(
          text.matches("[-+]?[0-9]+")
              ? "'"
                  + text
                  + "' is out of range ("
                  + Integer.MIN_VALUE
                  + " to "
                  + Integer.MAX_VALUE
                  + ")"
              : "'" + text + "' is not a whole number");
    }
  }

  /**
   * A path argument. picocli's own converter said "cannot convert 'x' to interface
   * java.nio.file.Path (java.nio.file.InvalidPathException: ...)".
   */
  private static Path path(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      // Malformed input: the file system's character set (the locale's) cannot hold the name,
      // which under LC_ALL=C was also read from the command line in it (a u-umlaut became '??').
      String hint =
          e.getReason().startsWith("Malformed input")
              ? " (the locale's character set cannot hold it: use a UTF-8 locale, such as"
                  + " LC_ALL=C.UTF-8)"
              : "";
      throw new CommandLine.TypeConversionException(
          "'" + text + "' is not a usable path: " + e.getReason() + hint);
    }
  }

  /** Reports an exception a command threw; returns the exit code. */
  private static int failed(Exception exception, PrintWriter err) {
    if (exception instanceof UsageError usage) {
      err.println("chime: " + usage.getMessage());
      return USAGE;
    }
    String message = exception.getMessage();
    err.println("chime: " + (message == null ? exception.toString() : message));
    return FAILED;
  }

  /** Whether the arguments run {@code chime serve}. */
  private static boolean serves(String[] args) {
    return args.length > 0 && args[0].equals("serve");
  }

  /**
   * What the commands read from outside: "now", the default zone, environment variables ({@code
   * CHIME_SERVER}, {@code CHIME_TOKEN}), and whether stderr is a terminal (for progress display).
   */
  record Environment(
      Clock clock, ZoneId systemZone, Map<String, String> variables, boolean terminal) {
    Environment {
      variables = Map.copyOf(variables);
    }

    /** No environment variables and no terminal. */
    Environment(Clock clock, ZoneId systemZone) {
      this(clock, systemZone, Map.of(), false);
    }

    /** The variable's value, or null when it is unset or blank. */
    String variable(String name) {
      String value = variables.get(name);
      return value == null || value.isBlank() ? null : value;
    }
  }

  /** Bad input from the user: exit 2 with the message. */
  static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }

  /** An operation that failed (the server said no, or could not be reached): exit 1. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /** Hands the environment to commands that take it. */
  private record Factory(Environment environment) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      for (var constructor : type.getDeclaredConstructors()) {
        if (constructor.getParameterCount() == 1
            && constructor.getParameterTypes()[0] == Environment.class) {
          constructor.setAccessible(true);
          return type.cast(constructor.newInstance(environment));
        }
      }
      return CommandLine.defaultFactory().create(type);
    }

    Object instance(Class<?> type) {
      try {
        return create(type);
      } catch (Exception e) {
        throw new IllegalStateException("cannot create the command " + type.getName(), e);
      }
    }
  }

  /** Reads the version from the jar manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"chime " + (version == null ? "development build" : version)};
    }
  }
}
