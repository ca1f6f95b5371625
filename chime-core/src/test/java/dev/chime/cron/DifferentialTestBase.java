package dev.chime.cron;

import java.time.Instant;
import java.time.ZoneId;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;

/** The start instants and zones every differential test draws from. */
abstract class DifferentialTestBase {

  @Provide
  Arbitrary<Instant> starts() {
    return DiffSupport.starts();
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return DiffSupport.zones();
  }
}
