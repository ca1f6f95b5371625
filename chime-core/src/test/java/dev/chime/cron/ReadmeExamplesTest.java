package dev.chime.cron;

import static dev.chime.cron.CronTestSupport.next;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The README's table of cron examples, row by row: first fires after 2026-11-24T00:00Z. */
class ReadmeExamplesTest {

  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource(
      delimiter = '|',
      value = {
        "*/5 * * * *|UNIX|2026-11-24T00:05:00Z|2026-11-24T00:10:00Z",
        "30 9 * * 1-5|UNIX|2026-11-24T09:30:00Z|2026-11-25T09:30:00Z",
        "0 0 L * *|UNIX|2026-11-30T00:00:00Z|2026-12-31T00:00:00Z",
        "0 0 13 * 5|UNIX|2026-11-27T00:00:00Z|2026-12-04T00:00:00Z",
        "0 16 */2 * sat|UNIX|2026-12-05T16:00:00Z|2026-12-19T16:00:00Z",
        "0 0 0 13 * FRI|SPRING|2027-08-13T00:00:00Z|2028-10-13T00:00:00Z",
        "0 0 0 29 2 MON|SPRING|2044-02-29T00:00:00Z|2072-02-29T00:00:00Z",
        "0 15 10 ? * 6L|QUARTZ|2026-11-27T10:15:00Z|2026-12-25T10:15:00Z",
        "0 0 12 1W * ? 2027|QUARTZ|2027-01-01T12:00:00Z|2027-02-01T12:00:00Z",
      })
  void rowsMeanWhatTheReadmeSays(String text, CronDialect dialect, String first, String second) {
    assertThat(next(CronExpression.parse(text, dialect), "UTC", "2026-11-24T00:00", 2))
        .containsExactly(first, second);
  }

  @ParameterizedTest
  @CsvSource({"nightly-backup", "digest", "tmp-cleanup"})
  void hashedRowPicksOneTimeBeforeSix(String key) {
    CronExpression cron = CronExpression.parse("H H(0-5) * * *", CronDialect.UNIX, key);
    java.util.List<String> times = next(cron, "UTC", "2026-11-24T00:00", 3);
    assertThat(times).allSatisfy(t -> assertThat(t.substring(11, 13)).isLessThan("06"));
    assertThat(times.get(0).substring(11)).isEqualTo(times.get(1).substring(11));
  }
}
