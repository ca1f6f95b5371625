package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunWatchTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

  private static JsonNode run(String fields) throws Exception {
    return ApiClient.JSON.readTree("{\"id\": \"42\", \"jobId\": \"backup\", " + fields + "}");
  }

  @Test
  void theOutcomeSaysHowItEndedHowLongItTookAndWhy() throws Exception {
    JsonNode ok =
        run(
            "\"attempt\": 1, \"state\": \"succeeded\", \"startedAt\": \"2026-01-01T00:00:00Z\","
                + " \"finishedAt\": \"2026-01-01T00:00:01.500Z\"");
    assertThat(RunWatch.outcome(ok, NOW)).isEqualTo("run 42 of job backup succeeded in 1.50s");
    assertThat(RunWatch.succeeded(ok)).isTrue();
    assertThat(RunWatch.isFinal(ok)).isTrue();
    JsonNode timedOut =
        run(
            "\"attempt\": 2, \"state\": \"timed_out\", \"startedAt\": \"2026-01-01T00:00:00Z\","
                + " \"error\": \"ran past PT1S\"");
    assertThat(RunWatch.outcome(timedOut, NOW))
        .isEqualTo("run 42 of job backup (attempt 2) timed out in 1m0s: ran past PT1S");
    JsonNode skipped = run("\"state\": \"skipped\", \"reason\": \"overlap\"");
    assertThat(RunWatch.outcome(skipped, NOW)).isEqualTo("run 42 of job backup skipped: overlap");
    assertThat(RunWatch.succeeded(skipped)).isFalse();
    assertThat(RunWatch.isFinal(run("\"state\": \"running\""))).isFalse();
    assertThat(RunWatch.isFinal(run("\"state\": \"retrying\""))).isFalse();
  }
}
