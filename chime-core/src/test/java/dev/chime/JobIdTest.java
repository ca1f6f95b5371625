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

  @org.junit.jupiter.api.Test
  void rejectsNullAndOverlongIds() {
    assertThatThrownBy(() -> JobId.of(null)).hasMessage("job id must not be null");
    assertThatThrownBy(() -> JobId.of("x".repeat(201)))
        .hasMessage("job id must be 1-200 characters, was 201");
  }
}
