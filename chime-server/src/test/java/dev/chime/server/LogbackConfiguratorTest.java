package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import org.junit.jupiter.api.Test;

class LogbackConfiguratorTest {
  private final LoggerContext context = new LoggerContext();

  @Test
  void setsInfoTextOnStandardErrorAndQuietLibraries() {
    ExecutionStatus status = new LogbackConfigurator(name -> false).configure(context);

    assertThat(status).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    assertThat(root.getLevel()).isEqualTo(Level.INFO);
    assertThat(root.getAppender("STDERR")).isNotNull();
    assertThat(context.getLogger("org.eclipse.jetty.server.Server").getEffectiveLevel())
        .isEqualTo(Level.WARN);
    assertThat(context.getLogger("org.postgresql.Driver").getEffectiveLevel())
        .isEqualTo(Level.WARN);
    assertThat(context.getLogger("dev.chime.server.ChimeServer").getEffectiveLevel())
        .isEqualTo(Level.INFO);
  }

  @Test
  void stepsAsideForTheUsersOwnConfiguration() {
    for (String given : new String[] {"logback.configurationFile", "logback.xml"}) {
      LoggerContext fresh = new LoggerContext();
      ExecutionStatus status = new LogbackConfigurator(given::equals).configure(fresh);

      assertThat(status).as(given).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
      assertThat(fresh.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    }
  }

  @Test
  void stepsAsideInTestsWhereLogbackTestXmlIsOnTheClassPath() {
    assertThat(new LogbackConfigurator().configure(context))
        .isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
  }
}
