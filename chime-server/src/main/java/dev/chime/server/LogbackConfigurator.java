package dev.chime.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.List;
import java.util.function.Predicate;

/**
 * Chime's default Logback set-up, found by Logback through {@link java.util.ServiceLoader} (not an
 * API to call): INFO and up on standard error as text lines ({@link Logging#TEXT}), libraries at
 * WARN. It is done in code rather than in a logback.xml because parsing XML loads Logback's Joran
 * configurator and the JDK's XML parser, about 450 classes that an idle server keeps resident
 * (docs/benchmarks.md, Server). A {@code -Dlogback.configurationFile}, a {@code logback.xml} or a
 * {@code logback-test.xml} on the class path still wins: then this steps aside.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_NORMAL_PRIORITY)
public final class LogbackConfigurator extends ContextAwareBase implements Configurator {
  /** Loggers of libraries that speak up only when something is wrong. */
  static final List<String> QUIET =
      List.of(
          "org.eclipse.jetty", "io.javalin", "com.zaxxer.hikari", "org.sqlite", "org.postgresql");

  private final Predicate<String> userConfig;

  /** The configurator Logback instantiates. */
  public LogbackConfigurator() {
    this(LogbackConfigurator::userConfigExists);
  }

  /** With a test of whether the user configures Logback (by property or resource name). */
  LogbackConfigurator(Predicate<String> userConfig) {
    this.userConfig = userConfig;
  }

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (userConfig.test("logback.configurationFile")
        || userConfig.test("logback-test.xml")
        || userConfig.test("logback.xml")) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
    for (String name : QUIET) {
      context.getLogger(name).setLevel(Level.WARN);
    }
    Logging.install(context, Logging.TEXT);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  private static boolean userConfigExists(String name) {
    return name.endsWith(".xml")
        ? LogbackConfigurator.class.getClassLoader().getResource(name) != null
        : System.getProperty(name) != null;
  }
}
