package dev.chime.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.util.List;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * The server's log format: human-readable lines ({@value #TEXT}, the default that {@link
 * LogbackConfigurator} installs) or one JSON object per line ({@value #JSON}, Logback's {@link
 * JsonEncoder}), both on standard error. Levels stay as the configurator (or the user's own {@code
 * -Dlogback.configurationFile}) sets them.
 */
public final class Logging {
  /** Lines like {@code 12:00:00.000 INFO d.c.s.ChimeServer - Chime listening on ...}. */
  public static final String TEXT = "text";

  /** One JSON object per line: timestamp, level, thread, logger, message, MDC, throwable. */
  public static final String JSON = "json";

  /** The formats {@link #configure} takes. */
  public static final List<String> FORMATS = List.of(TEXT, JSON);

  private static final String APPENDER = "STDERR";

  private Logging() {}

  /**
   * Sends every log line to standard error in the format, replacing the root logger's appenders.
   *
   * @throws IllegalArgumentException for a format other than {@value #TEXT} or {@value #JSON}
   */
  public static void configure(String format) {
    String chosen = format == null ? "" : format.trim().toLowerCase(Locale.ROOT);
    if (!FORMATS.contains(chosen)) {
      throw new IllegalArgumentException(
          "log format must be one of " + String.join(", ", FORMATS) + ", was '" + format + "'");
    }
    ILoggerFactory factory = LoggerFactory.getILoggerFactory();
    if (factory instanceof LoggerContext context) {
      install(context, chosen);
    }
  }

  /**
   * Writes out what the appenders still hold (an asynchronous or buffered appender of a user's own
   * configuration) by stopping Logback, for a process about to halt without its shutdown hooks.
   * Nothing is logged after it.
   */
  public static void flush() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
    System.out.flush();
    System.err.flush();
  }

  static void install(LoggerContext context, String format) {
    Encoder<ILoggingEvent> encoder = format.equals(JSON) ? json(context) : text(context);
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(APPENDER);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }

  private static Encoder<ILoggingEvent> text(LoggerContext context) {
    TextLayout layout = new TextLayout();
    layout.setContext(context);
    layout.start();
    LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
    encoder.setContext(context);
    encoder.setLayout(layout);
    encoder.start();
    return encoder;
  }

  private static Encoder<ILoggingEvent> json(LoggerContext context) {
    JsonEncoder encoder = new JsonEncoder();
    encoder.setContext(context);
    encoder.setWithSequenceNumber(false);
    encoder.setWithNanoseconds(false);
    encoder.setWithContext(false);
    encoder.setWithArguments(false);
    encoder.setWithMessage(false);
    encoder.setWithFormattedMessage(true);
    encoder.start();
    return encoder;
  }
}
