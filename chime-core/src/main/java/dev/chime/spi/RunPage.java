package dev.chime.spi;

import dev.chime.Run;
import java.util.List;

/**
 * One page of runs, newest first.
 *
 * @param items the runs
 * @param nextCursor the {@link RunQuery#before} of the next page, or null if this is the last
 */
public record RunPage(List<Run> items, Long nextCursor) {
  /** Copies the items. */
  public RunPage {
    items = List.copyOf(items);
  }
}
