package dev.chime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JobIdTest {

  @ParameterizedTest
  @ValueSource(strings = {"nightly-backup", "a", "reports/daily.v2", "tenant:42_job", "9to5"})
  void acceptsStableNames(String id) {
    assertThat(JobId.of(id).value()).isEqualTo(id);
    assertThat(JobId.of(id)).hasToString(id).isEqualTo(new JobId(id));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''|job id must be 1-200 characters, was 0",
        "-lead|job id '-lead' must start with a letter or digit and use only letters, digits and"
            + " . _ - : /",
        "has space|job id 'has space' must start with a letter or digit and use only letters,"
            + " digits and . _ - : /",
      })
  void rejectsBadIdsNamingTheRule(String id, String message) {
    assertThatThrownBy(() -> JobId.of(id)).hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"café", "ünter", "a\tb", "a,b", "a#b", "a@b", "Ａ", "_lead", ".lead"})
  void rejectsNonAsciiLettersAndOtherPunctuation(String id) {
    assertThatThrownBy(() -> JobId.of(id))
        .hasMessageContaining("must start with a letter or digit");
  }

  @org.junit.jupiter.api.Test
  void handlerNamesFollowTheirOwnRuleAndLength() {
    Trigger at = Trigger.once(java.time.Instant.parse("2030-01-01T00:00:00Z"));
    assertThat(Job.builder("j").handler("a".repeat(100)).trigger(at).build().handler())
        .hasSize(100);
    assertThatThrownBy(() -> Job.builder("j").handler("a".repeat(101)).trigger(at).build())
        .hasMessageContaining("must be 1-100 letters");
    assertThatThrownBy(() -> Job.builder("j").handler("a/b").trigger(at).build())
        .hasMessageContaining("handler 'a/b' must be 1-100 letters");
    assertThat(Job.builder("j").handler("x.y_z:w-1").trigger(at).build().handler())
        .isEqualTo("x.y_z:w-1");
  }

  @org.junit.jupiter.api.Test
  void rejectsNullAndOverlongIds() {
    assertThatThrownBy(() -> JobId.of(null)).hasMessage("job id must not be null");
    assertThatThrownBy(() -> JobId.of("x".repeat(201)))
        .hasMessage("job id must be 1-200 characters, was 201");
  }
}
