package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProblemsTest {

  private static String describe(String body) {
    return Problems.describe(new ApiClient.Reply(422, body));
  }

  @Test
  void aProblemIsItsTitleDetailAndField() {
    assertThat(
            describe(
                "{\"type\":\"about:blank\",\"title\":\"Invalid request\",\"status\":422,"
                    + "\"detail\":\"unknown key 'colour'\",\"field\":\"colour\"}"))
        .isEqualTo("Invalid request: unknown key 'colour' (field: colour)");
  }

  @Test
  void everyListedErrorIsKeptOnTheSameLine() {
    assertThat(
            describe(
                "{\"title\":\"Invalid job file\",\"errors\":[\"a: bad\","
                    + "{\"source\":\"jobs.yaml\",\"line\":3,\"field\":\"trigger\",\"message\":\"no\"},"
                    + "{\"message\":\"plain\"}]}"))
        .isEqualTo("Invalid job file: a: bad; jobs.yaml:3: trigger: no; plain");
  }

  @Test
  void anAnswerThatIsNotAProblemIsShownShortened() {
    assertThat(describe("<html>\n<b>Bad gateway</b></html>"))
        .isEqualTo("<html> <b>Bad gateway</b></html>");
    assertThat(describe("x".repeat(300))).hasSize(203).endsWith("...");
    assertThat(describe("")).isEqualTo("(no details from the server)");
    assertThat(describe("{}")).isEqualTo("{}");
    assertThat(describe("[1]")).isEqualTo("[1]");
  }
}
