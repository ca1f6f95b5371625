package dev.chime.cron;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** describe() in plain English. */
class CronDescribeTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 3 * * 1-5|UNIX|At 03:00, Monday through Friday",
        "30 9 * * mon-fri|UNIX|At 09:30, Monday through Friday",
        "0 9,17 * * *|UNIX|At 09:00 and 17:00",
        "*/5 * * * *|UNIX|Every 5 minutes",
        "* * * * *|UNIX|Every minute",
        "0 * * * *|UNIX|At minute 0",
        "0,30 * * * *|UNIX|At minutes 0 and 30",
        "*/15 9-17 * * *|UNIX|Every 15 minutes, between 09:00 and 17:59",
        "*/30 1 * * *|UNIX|Every 30 minutes, between 01:00 and 01:59",
        "0 0 L * *|UNIX|At 00:00, on the last day of the month",
        "0 0 L-3 * *|UNIX|At 00:00, on 3 days before the last day of the month",
        "0 0 LW * *|UNIX|At 00:00, on the last weekday of the month",
        "0 0 15W * *|UNIX|At 00:00, on the weekday nearest day 15 of the month",
        "0 0 1,15 * *|UNIX|At 00:00, on day 1 and day 15 of the month",
        "0 0 1-7 * *|UNIX|At 00:00, on days 1 through 7 of the month",
        "0 0 13 * 5|UNIX|At 00:00, on day 13 of the month or on Friday",
        "0 0 * * 5#3|UNIX|At 00:00, on the third Friday of the month",
        "0 0 * * 5L|UNIX|At 00:00, on the last Friday of the month",
        "0 0 * * 1,3,5|UNIX|At 00:00, on Monday, Wednesday and Friday",
        "0 0 1 1 *|UNIX|At 00:00, on day 1 of the month, in January",
        "0 0 1 jan-mar *|UNIX|At 00:00, on day 1 of the month, January through March",
        "0 0 1 */3 *|UNIX|At 00:00, on day 1 of the month, every 3 months",
        "15 30 9 * * *|SPRING|At 09:30:15",
        "*/10 * * * * *|SPRING|Every 10 seconds",
        "0 0 0 13 * FRI|SPRING|At 00:00, on day 13 of the month, if it is a Friday",
        "0 0 12 ? * 2 2027|QUARTZ|At 12:00, on Monday, in 2027",
        "0 0 12 ? * 2 2027-2030|QUARTZ|At 12:00, on Monday, 2027 through 2030",
        "@hourly|UNIX|At minute 0",
      })
  void describes(String text, CronDialect dialect, String expected) {
    assertThat(CronExpression.parse(text, dialect).describe()).isEqualTo(expected);
  }
}
