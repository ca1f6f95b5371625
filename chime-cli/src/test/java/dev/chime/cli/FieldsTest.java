package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FieldsTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static JsonNode json(String text) throws Exception {
    return ApiClient.JSON.readTree(text);
  }

  @Test
  void instantsShowInTheZoneWithSecondsAndOffsetTimesStayAsTheServerWroteThem() {
    assertThat(Fields.time("2026-03-08T07:00:00.123Z", NEW_YORK))
        .isEqualTo("2026-03-08T03:00:00-04:00");
    assertThat(Fields.time("2026-03-08T07:00:00Z", ZoneOffset.UTC))
        .isEqualTo("2026-03-08T07:00:00Z");
    assertThat(Fields.time("2026-03-08T03:00:00+01:00", NEW_YORK))
        .isEqualTo("2026-03-08T03:00:00+01:00");
    assertThat(Fields.time("soon Z", NEW_YORK)).isEqualTo("soon Z");
    assertThat(Fields.fireTime("2030-01-01T00:00:00.500Z", ZoneOffset.UTC))
        .as("a fire time between seconds keeps its fraction")
        .isEqualTo("2030-01-01T00:00:00.5Z");
    assertThat(Fields.fireTime("2030-01-01T00:00:00Z", ZoneOffset.UTC))
        .isEqualTo("2030-01-01T00:00:00Z");
  }

  @Test
  void fireTimesShowInTheJobsZoneElseTheFallback() throws Exception {
    assertThat(Fields.zone(json("{\"zone\":\"Europe/Berlin\"}"), NEW_YORK))
        .isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(Fields.zone(json("{\"trigger\":{\"every\":\"PT1M\"}}"), NEW_YORK))
        .isEqualTo(NEW_YORK);
    assertThat(Fields.zone(json("{\"zone\":\"Mars/Olympus_Mons\"}"), NEW_YORK))
        .as("a zone this JDK does not know")
        .isEqualTo(NEW_YORK);
  }

  @Test
  void triggersKindsAndStatesReadLikeAJobFile() throws Exception {
    assertThat(Fields.trigger(json("{\"trigger\":\"0 3 * * *\",\"zone\":\"Europe/Berlin\"}")))
        .isEqualTo("0 3 * * * (Europe/Berlin)");
    assertThat(Fields.trigger(json("{\"trigger\":{\"every\":\"PT15M\",\"jitter\":[1,2]}}")))
        .isEqualTo("every PT15M, jitter [1, 2]");
    assertThat(Fields.kind(json("{\"http\":{}}"))).isEqualTo("http");
    assertThat(Fields.kind(json("{\"handler\":\"report\"}"))).isEqualTo("report");
    assertThat(Fields.state(json("{\"state\":\"TIMED_OUT\"}"))).isEqualTo("timed_out");
    assertThat(Fields.state(json("{}"))).isEqualTo("unknown");
    assertThat(Fields.text(json("{\"a\":null}"), "a")).isNull();
  }

  @Test
  void durationsAreShortAndRunsStillRunningCountToNow() throws Exception {
    assertThat(Fields.duration(Duration.ofMillis(1250))).isEqualTo("1.25s");
    assertThat(Fields.duration(Duration.ofSeconds(184))).isEqualTo("3m4s");
    assertThat(Fields.duration(Duration.ofMinutes(125))).isEqualTo("2h5m");
    JsonNode running = json("{\"startedAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":null}");
    assertThat(Fields.duration(running, Instant.parse("2026-01-01T00:00:02Z"))).isEqualTo("2.00s");
    assertThat(Fields.duration(json("{\"startedAt\":null}"), Instant.EPOCH)).isNull();
    assertThat(Fields.duration(json("{\"startedAt\":\"later\"}"), Instant.EPOCH)).isNull();
  }
}
