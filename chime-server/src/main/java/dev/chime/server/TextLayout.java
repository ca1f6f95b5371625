package dev.chime.server;

import ch.qos.logback.classic.pattern.TargetLengthBasedClassNameAbbreviator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;

/**
 * The text log line, {@code %d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%n} plus the stack trace of
 * a throwable, written directly: Logback's PatternLayout would load its pattern parser and about
 * 150 converter classes for this one fixed pattern (docs/benchmarks.md, Server).
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {
  private static final int LOGGER_LENGTH = 20;
  private static final int LEVEL_WIDTH = 5;

  private final TargetLengthBasedClassNameAbbreviator abbreviator =
      new TargetLengthBasedClassNameAbbreviator(LOGGER_LENGTH);
  private final ZoneId zone = ZoneId.systemDefault();

  @Override
  public String doLayout(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(128);
    time(line, LocalTime.ofInstant(Instant.ofEpochMilli(event.getTimeStamp()), zone));
    line.append(' ');
    String level = event.getLevel().toString();
    line.append(level).append(" ".repeat(Math.max(0, LEVEL_WIDTH - level.length())));
    line.append(' ').append(abbreviator.abbreviate(event.getLoggerName()));
    line.append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
    IThrowableProxy thrown = event.getThrowableProxy();
    if (thrown != null) {
      line.append(ThrowableProxyUtil.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
    }
    return line.toString();
  }

  private static void time(StringBuilder line, LocalTime time) {
    two(line, time.getHour()).append(':');
    two(line, time.getMinute()).append(':');
    two(line, time.getSecond()).append('.');
    int millis = time.getNano() / 1_000_000;
    line.append((char) ('0' + millis / 100)).append((char) ('0' + millis / 10 % 10));
    line.append((char) ('0' + millis % 10));
  }

  private static StringBuilder two(StringBuilder line, int value) {
    return line.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
  }
}
