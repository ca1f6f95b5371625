package dev.chime.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LoggingTest {
  private static final Logger LOG = LoggerFactory.getLogger(LoggingTest.class);

  private final PrintStream stderr = System.err;

  @AfterEach
  void restore() {
    System.setErr(stderr);
    Logging.configure(Logging.TEXT);
  }

  @Test
  void writesOneJsonObjectPerLine() throws Exception {
    List<String> lines =
        captured(
            Logging.JSON,
            () -> {
              LOG.info("run {} of job {} started", 7, "nightly");
              LOG.warn("it failed", new IllegalStateException("disk full"));
            });

    assertThat(lines).hasSize(2);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode first = mapper.readTree(lines.get(0));
    assertThat(first.get("level").asText()).isEqualTo("INFO");
    assertThat(first.get("loggerName").asText()).isEqualTo(LoggingTest.class.getName());
    assertThat(first.get("formattedMessage").asText()).isEqualTo("run 7 of job nightly started");
    assertThat(first.get("timestamp").asLong()).isPositive();
    JsonNode second = mapper.readTree(lines.get(1));
    assertThat(second.get("level").asText()).isEqualTo("WARN");
    assertThat(second.get("throwable").toString()).contains("disk full");
  }

  @Test
  void writesReadableLinesAsText() throws Exception {
    List<String> lines = captured(Logging.TEXT, () -> LOG.info("hello {}", "there"));

    assertThat(lines).hasSize(1);
    assertThat(lines.get(0))
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  .*LoggingTest - hello there");
  }

  @Test
  void writesTextLinesWithAbbreviatedLoggersPaddedLevelsAndStackTraces() throws Exception {
    List<String> lines =
        captured(
            Logging.TEXT,
            () -> {
              LOG.warn("it failed", new IllegalStateException("disk full"));
              LoggerFactory.getLogger("short").error("plain");
            });

    assertThat(lines.get(0))
        .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  d\\.c\\.s\\.LoggingTest - it failed");
    assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: disk full");
    assertThat(lines.get(2)).startsWith("\tat dev.chime.server.LoggingTest");
    assertThat(lines.get(lines.size() - 1)).endsWith(" ERROR short - plain");
  }

  @Test
  void keepsTheLevelsOfLogbackXml() throws Exception {
    List<String> lines =
        captured(
            Logging.TEXT,
            () -> {
              LoggerFactory.getLogger("org.eclipse.jetty.server.Server").info("noise");
              LoggerFactory.getLogger("com.zaxxer.hikari.HikariDataSource").info("noise");
              LOG.debug("not at INFO");
            });
    assertThat(lines).isEmpty();
  }

  @Test
  void refusesAnUnknownFormat() {
    assertThatThrownBy(() -> Logging.configure("xml"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("log format must be one of text, json, was 'xml'");
    assertThatThrownBy(() -> Logging.configure(null))
        .hasMessage("log format must be one of text, json, was 'null'");
  }

  @Test
  void acceptsAnyCase() throws Exception {
    assertThat(captured(" JSON ", () -> LOG.info("x")).get(0)).startsWith("{");
  }

  private List<String> captured(String format, Runnable logging) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    Logging.configure(format); // the appender binds to System.err as it is now
    logging.run();
    System.setErr(stderr);
    String text = bytes.toString(StandardCharsets.UTF_8);
    return text.isEmpty() ? List.of() : List.of(text.split("\n"));
  }
}
