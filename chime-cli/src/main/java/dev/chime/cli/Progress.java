package dev.chime.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * How far a long piece of work ({@code chime apply}'s steps, reading the server's jobs) has got, on
 * stderr, as {@link RunWatch} shows a run: on a terminal one line redrawn in place, {@code applying
 * [######..............] 900/3000}, at most once per percent and cleared at the end; when stderr is
 * not a terminal (a log, a pipe) a plain line at each tenth of work of at least {@value
 * #PLAIN_FROM} items when asked for, else nothing. Stdout never gets any of it.
 */
final class Progress implements AutoCloseable {
  /** The fewest items for which plain lines are written. */
  static final int PLAIN_FROM = 500;

  private static final int BAR = 20;

  private final PrintWriter err;
  private final boolean terminal;
  private final boolean plain;
  private final String what;
  private final int total;
  private int done;
  private int shownPercent = -1;
  private int shownTenth;
  private String shown = "";

  private Progress(PrintWriter err, boolean terminal, boolean plain, String what, int total) {
    this.err = err;
    this.terminal = terminal;
    this.plain = plain && !terminal && total >= PLAIN_FROM;
    this.what = what;
    this.total = total;
  }

  /** Progress of {@code total} items; {@code plain}: plain lines when stderr is no terminal. */
  static Progress of(
      Main.Environment environment, PrintWriter err, String what, int total, boolean plain) {
    return new Progress(err, environment.terminal(), plain, what, total);
  }

  /** One more item done. */
  void step() {
    done = Math.min(total, done + 1);
    int percent = total == 0 ? 100 : (int) (100L * done / total);
    if (terminal && percent != shownPercent) {
      shownPercent = percent;
      draw(bar(percent));
    } else if (plain && done * 10L / total > shownTenth) {
      shownTenth = (int) (done * 10L / total);
      err.println(what + ": " + done + " of " + total);
      err.flush();
    }
  }

  private String bar(int percent) {
    int filled = percent * BAR / 100;
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %d/%d",
        what,
        "#".repeat(filled),
        ".".repeat(BAR - filled),
        done,
        total);
  }

  private void draw(String line) {
    String padding = " ".repeat(Math.max(0, shown.length() - line.length()));
    err.print("\r" + line + padding);
    err.flush();
    shown = line;
  }

  /** Clears the line on a terminal, so what follows (the result, an error) starts clean. */
  @Override
  public void close() {
    if (terminal && !shown.isEmpty()) {
      err.print("\r" + " ".repeat(shown.length()) + "\r");
      err.flush();
      shown = "";
    }
  }
}
