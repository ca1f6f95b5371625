package dev.chime.cron;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
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
        "0 0 L-3 * *|UNIX|At 00:00, 3 days before the last day of the month",
        "0 0 LW * *|UNIX|At 00:00, on the last weekday of the month",
        "0 0 15W * *|UNIX|At 00:00, on the weekday nearest day 15 of the month",
        "0 0 1,15 * *|UNIX|At 00:00, on day 1 and day 15 of the month",
        "0 0 1-7 * *|UNIX|At 00:00, on days 1 through 7 of the month",
        "0 0 13 * 5|UNIX|At 00:00, on day 13 of the month or on Friday",
        "0 0 * * 5#3|UNIX|At 00:00, on the third Friday of the month",
        "0 0 * * 5L|UNIX|At 00:00, on the last Friday of the month",
        "0 0 * * 1,3,5|UNIX|At 00:00, on Monday, Wednesday and Friday",
        "0 0 1 1 *|UNIX|At 00:00, on day 1 of the month, in January",
        "0 0 1 jan-mar *|UNIX|At 00:00, on day 1 of the month, in January through March",
        "0 0 1 */3 *|UNIX|At 00:00, on day 1 of the month, every 3 months",
        "15 30 9 * * *|SPRING|At 09:30:15",
        "*/10 * * * * *|SPRING|Every 10 seconds",
        "0 0 0 13 * FRI|SPRING|At 00:00, on day 13 of the month, if it is a Friday",
        "0 0 12 ? * 2 2027|QUARTZ|At 12:00, on Monday, in 2027",
        "0 0 12 ? * 2 2027-2030|QUARTZ|At 12:00, on Monday, in 2027 through 2030",
        "@hourly|UNIX|At minute 0",
      })
  void describes(String text, CronDialect dialect, String expected) {
    assertThat(CronExpression.parse(text, dialect).describe()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "5/10 * * * * *|SPRING|Every 10 seconds from second 5 through 59",
        "10-40/10 * * * * *|SPRING|Every 10 seconds from second 10 through 40",
        "0-30 * * * * *|SPRING|At seconds 0 through 30",
        "3/5 * * * *|UNIX|Every 5 minutes from minute 3 through 59",
        "10-20 * * * *|UNIX|At minutes 10 through 20",
        "5,10-30/10 * * * *|UNIX|At minute 5 and every 10 minutes from minute 10 through 30",
        "0 */6 * * *|UNIX|At minute 0, every 6 hours",
        "0 3/2 * * *|UNIX|At minute 0, every 2 hours from 03:00 through 23:00",
        "0 9-17/4 * * *|UNIX|At minute 0, every 4 hours from 09:00 through 17:00",
        "0 1,9-17 * * *|UNIX|At minute 0, between 01:00 and 01:59 and between 09:00 and 17:59",
        "*/15 9,17 * * *|UNIX|Every 15 minutes, during the 09:00 and 17:00 hours",
        "0 0 */2 * *|UNIX|At 00:00, every 2 days of the month",
        "0 0 3/2 * *|UNIX|At 00:00, every 2 days from day 3 through 31 of the month",
        "0 0 1,10-20/5 * *|UNIX|At 00:00, on day 1 and every 5 days from day 10 through 20 of the"
            + " month",
        "0 0 1 3/2 *|UNIX|At 00:00, on day 1 of the month, every 2 months from March through"
            + " December",
        "0 0 1 1-6/2 *|UNIX|At 00:00, on day 1 of the month, every 2 months from January through"
            + " June",
        "0 0 1 1,3-5 *|UNIX|At 00:00, on day 1 of the month, in January and March through May",
        "0 0 1 nov-feb *|UNIX|At 00:00, on day 1 of the month, in November through February",
        "0 0 1 1,7/3 *|UNIX|At 00:00, on day 1 of the month, in January and every 3 months from"
            + " July through December",
        "0 0 * * */2|UNIX|At 00:00, on Sunday, Tuesday, Thursday and Saturday",
        "0 0 * * 1/2|UNIX|At 00:00, on Monday, Wednesday, Friday and Sunday",
        "0 0 * * 1-5/2|UNIX|At 00:00, on Monday, Wednesday and Friday",
        "0 0 0 * * */2|SPRING|At 00:00, on Monday, Wednesday, Friday and Sunday",
        "0 0 * * 1,3-5|UNIX|At 00:00, on Monday and Wednesday through Friday",
        "0 0 12 ? * 2 2027/2|QUARTZ|At 12:00, on Monday, every 2 years from 2027 through 2199",
        "0 0 12 ? * 2 2027-2031/2|QUARTZ|At 12:00, on Monday, every 2 years from 2027 through 2031",
        "0 0 12 ? * 2 */2|QUARTZ|At 12:00, on Monday, every 2 years",
        "0 0 12 ? * 2 2027,2029-2030|QUARTZ|At 12:00, on Monday, in 2027 and 2029 through 2030",
      })
  void describesStepsWithTheirStartAndRangeInEveryField(
      String text, CronDialect dialect, String expected) {
    assertThat(CronExpression.parse(text, dialect).describe()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "0 0 0 13 * */2|SPRING|At 00:00, on day 13 of the month, if it is a Monday, Wednesday,"
            + " Friday or Sunday",
        "0 0 0 13 * MON,WED,FRI|SPRING|At 00:00, on day 13 of the month, if it is a Monday,"
            + " Wednesday or Friday",
        "0 0 0 13 * MON-FRI|SPRING|At 00:00, on day 13 of the month, if it is a day from Monday"
            + " through Friday",
        "0 0 0 15-21 * 5#3,MON|SPRING|At 00:00, on days 15 through 21 of the month, if it is the"
            + " third Friday of the month or a Monday",
        "0 0 */2 * 1|UNIX|At 00:00, every 2 days of the month, if it is a Monday",
        "0 0 1 * 1-5|UNIX|At 00:00, on day 1 of the month or on Monday through Friday",
        "0 0 * * 5#3,1#1|UNIX|At 00:00, on the third Friday and the first Monday of the month",
        "0 0 * * 1,5L|UNIX|At 00:00, on Monday and the last Friday of the month",
        "0 0 15W,L-2 * *|UNIX|At 00:00, on the weekday nearest day 15 and 2 days before the last"
            + " day of the month",
        "0 0 L-1 * *|UNIX|At 00:00, 1 day before the last day of the month",
      })
  void combinesDayPhrasesGrammatically(String text, CronDialect dialect, String expected) {
    assertThat(CronExpression.parse(text, dialect).describe()).isEqualTo(expected);
  }

  @Test
  void noCombinationOfFieldFormsReadsBadly() {
    List<String> minutes = List.of("*", "0", "5,35", "10-20", "3/5", "10-40/10", "*/15");
    List<String> hours = List.of("*", "9", "9,17", "9-17", "3/2", "9-17/4", "*/6", "1,9-17");
    List<String> days = List.of("*", "1", "1,15", "1-7", "3/2", "1-15/3", "*/2", "L", "15W");
    List<String> months = List.of("*", "1", "1,3-5", "jan-mar", "3/2", "1-6/2", "*/3");
    List<String> weekdays = List.of("*", "1", "1,3,5", "1-5", "*/2", "1/2", "1-5/2", "5#3", "5L");
    java.util.regex.Pattern bad =
        java.util.regex.Pattern.compile(
            "\\ba every\\b|\\bon every\\b|\\ba a\\b|\\bin every\\b|\\bfrom from\\b|  |, ,"
                + "|\\band and\\b|\\bor or\\b|\\bon on\\b|\\bin the hours from\\b|^[a-z]");
    int described = 0;
    for (String minute : minutes) {
      for (String hour : hours) {
        for (String day : days) {
          for (String month : months) {
            for (String weekday : weekdays) {
              String text = String.join(" ", minute, hour, day, month, weekday);
              String description = CronExpression.parse(text).describe();
              assertThat(bad.matcher(description).find()).as(text + ": " + description).isFalse();
              described++;
            }
          }
        }
      }
    }
    assertThat(described).isEqualTo(7 * 8 * 9 * 7 * 9);
  }
}
