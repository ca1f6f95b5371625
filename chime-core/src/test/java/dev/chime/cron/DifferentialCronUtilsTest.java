package dev.chime.cron;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The unix dialect against cron-utils 9.2's UNIX definition over generated expressions. */
class DifferentialCronUtilsTest extends DifferentialTestBase {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  @Provide
  Arbitrary<String> expressions() {
    Arbitrary<String> dom =
        Arbitraries.oneOf(Arbitraries.just("*"), DiffSupport.numeric(1, 28, "*"));
    Arbitrary<String> dow =
        Arbitraries.oneOf(
            Arbitraries.just("*"),
            DiffSupport.numeric(0, 6, "*"),
            Arbitraries.of("mon-fri", "sun"));
    return Combinators.combine(
            DiffSupport.numeric(0, 59, "*"),
            DiffSupport.numeric(0, 23, "*"),
            dom,
            DiffSupport.numeric(1, 12, "*"),
            dow)
        .as((m, h, d, mo, w) -> m + " " + h + " " + d + " " + mo + " " + w);
  }

  @Property(tries = 500)
  void agreesWithCronUtils(
      @ForAll("expressions") String text,
      @ForAll("starts") Instant start,
      @ForAll("zones") ZoneId zone) {
    ExecutionTime theirsCron = ExecutionTime.forCron(PARSER.parse(text));
    List<Instant> theirs = DiffSupport.sequence(start, t -> cronUtilsNext(theirsCron, t, zone));
    List<Instant> ours = DiffSupport.chimeOrNone(text, CronDialect.UNIX, start, zone);
    DiffSupport.judge(
        "cron-utils", text, zone, start, ours, theirs, DifferentialCronUtilsTest::bugs);
  }

  /** cronie ANDs when either day field starts with '*' (as in "*&#47;2"); cron-utils ORs. */
  private static Optional<DiffSupport.Divergence> bugs(
      String text, List<Instant> ours, List<Instant> theirs) {
    String[] fields = text.split(" ");
    return !fields[2].equals("*") && !fields[4].equals("*")
        ? Optional.of(DiffSupport.Divergence.CRON_UTILS_DAY_OR_RULE)
        : Optional.empty();
  }

  private static Optional<Instant> cronUtilsNext(ExecutionTime cron, Instant t, ZoneId zone) {
    return cron.nextExecution(t.atZone(zone)).map(ZonedDateTime::toInstant);
  }
}
