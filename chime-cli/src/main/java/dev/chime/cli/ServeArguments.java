package dev.chime.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * {@code chime serve}'s arguments read without picocli, for the plain case: each option of {@link
 * ServeCommand} at most once, as {@code --name value} or {@code --name=value}, with a non-empty
 * value that starts with none of {@code -}, {@code @} and a quote, an int as plain decimal digits.
 * Anything else (help, version, an unknown or repeated option, a missing or odd value, an argument
 * file) is left to picocli, which parses it or explains what is wrong exactly as for every other
 * command.
 *
 * <p>Why: a server is long-lived and mostly idle, and picocli's model of a command (its reflection
 * over the command's annotations, the JDK types it registers converters for, its own classes, which
 * are too old for the class cache and live in metaspace) kept about 2.7 MB of the idle server's RSS
 * resident for an argument list read once (docs/benchmarks.md, Server). ServeCommand's
 * {@code @Option} fields stay the declaration of the options (and of their help);
 * ServeArgumentsTest checks that this reads every one of them as picocli does.
 */
final class ServeArguments {
  private ServeArguments() {}

  /**
   * The command with the options set, or empty when the arguments (those after {@code serve}) are
   * not the plain case above.
   */
  static Optional<ServeCommand> parse(String[] args, int from) {
    ServeCommand command = new ServeCommand();
    Set<String> seen = new HashSet<>();
    for (int i = from; i < args.length; i++) {
      String arg = args[i];
      int equals = arg.indexOf('=');
      String name = equals > 0 ? arg.substring(0, equals) : arg;
      if (!seen.add(name)) {
        return Optional.empty();
      }
      if (name.equals("--exit-when-ready")) {
        if (equals > 0) {
          return Optional.empty();
        }
        command.exitWhenReady = true;
        continue;
      }
      String text = equals > 0 ? arg.substring(equals + 1) : i + 1 < args.length ? args[++i] : "";
      if (!plain(text) || !set(command, name, text)) {
        return Optional.empty();
      }
    }
    return Optional.of(command);
  }

  /**
   * Sets the option from its value; false when the name is not one of serve's options that take a
   * value, or the value is one to leave to picocli.
   */
  private static boolean set(ServeCommand command, String name, String text) {
    return switch (name) {
      case "--config" -> (command.config = path(text)) != null;
      case "--data" -> (command.data = path(text)) != null;
      case "--db" -> (command.db = text) != null;
      case "--bind" -> (command.bind = text) != null;
      case "--port" -> (command.port = decimal(text)) != null;
      case "--tokens" -> (command.tokens = path(text)) != null;
      case "--plugins" -> (command.plugins = path(text)) != null;
      case "--grace" -> (command.grace = text) != null;
      case "--max-concurrency" -> (command.maxConcurrency = decimal(text)) != null;
      case "--retention" -> (command.retention = text) != null;
      case "--keep-runs" -> (command.keepRuns = decimal(text)) != null;
      case "--log-format" -> (command.logFormat = text) != null;
      default -> false;
    };
  }

  /** The path, or null for an invalid one. */
  private static Path path(String text) {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /**
   * The int written as plain decimal digits, or null (picocli reads "+8" and "010" its own way).
   */
  private static Integer decimal(String text) {
    if (text.length() > 9 || (text.length() > 1 && text.charAt(0) == '0')) {
      return null;
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return null;
      }
    }
    return Integer.valueOf(text);
  }

  /**
   * Whether a value can be read here: not empty, not like an option, an argument file or quoted.
   */
  private static boolean plain(String text) {
    return !text.isEmpty()
        && text.charAt(0) != '-'
        && text.charAt(0) != '@'
        && text.charAt(0) != '"'
        && text.charAt(0) != '\'';
  }
}
