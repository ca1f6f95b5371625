package dev.chime.server.kinds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * The newest lines of a process's stdout and stderr, at most {@code limit} bytes of them (a line
 * longer than the limit keeps its end). Each stream is read on a thread of its own as the output
 * comes, so a process that writes a lot to one stream never blocks on a full pipe; stderr lines are
 * marked with {@value #STDERR_MARK}. A tail made with a {@code live} sink hands each line on as it
 * is read instead of keeping it (until {@link #close}), counting as the kept tail would.
 */
final class OutputTail {
  static final String STDERR_MARK = "[stderr] ";
  private static final int MAX_LINE = 8192;

  /** The most bytes one kept line takes: the longest line, its mark and its newline. */
  static final int LONGEST_LINE = MAX_LINE + 3 + STDERR_MARK.length() + 1;

  private final long limit;
  private final Consumer<String> live; // null: the lines are kept for text()
  private final Deque<Line> lines = new ArrayDeque<>();
  private long kept;
  private long total;
  private boolean truncated;
  private long handedOn; // characters handed on, a newline after each line
  private boolean closed;

  /** A tail that keeps the newest lines for {@link #text}. */
  OutputTail(long limit) {
    this(limit, null);
  }

  /** A tail that hands each line to {@code live} as it is read, and keeps none. */
  OutputTail(long limit, Consumer<String> live) {
    this.limit = limit;
    this.live = live;
  }

  /** Starts a thread that reads the stream to its end, line by line, into the tail. */
  Thread drain(InputStream stream, boolean stderr) {
    return Thread.ofVirtual()
        .name(stderr ? "chime-command-stderr" : "chime-command-stdout")
        .start(() -> read(stream, stderr ? STDERR_MARK : ""));
  }

  private void read(InputStream stream, String mark) {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try (stream) {
      int n;
      while ((n = stream.read(buffer)) >= 0) {
        for (int i = 0; i < n; i++) {
          // A line too long is split, but not inside a UTF-8 character (a split character reads
          // as two U+FFFD): before the next byte that does not continue one, at most three bytes
          // on, and then anyway (output that is not UTF-8 may never offer such a byte).
          if (buffer[i] == '\n'
              || line.size() >= MAX_LINE
                  && ((buffer[i] & 0xC0) != 0x80 || line.size() >= MAX_LINE + 3)) {
            add(mark, line, buffer[i] == '\n' ? 1 : 0);
          }
          if (buffer[i] != '\n') {
            line.write(buffer[i]);
          }
        }
      }
    } catch (IOException e) {
      // the stream was closed under us (the process was killed): keep what was read
    }
    if (line.size() > 0) {
      add(mark, line, 0);
    }
  }

  private synchronized void add(String mark, ByteArrayOutputStream line, int newline) {
    byte[] bytes = line.toByteArray();
    line.reset();
    total += bytes.length + newline;
    // The mark counts, so the kept text is within the limit as the log shows it; a line (with its
    // mark) longer than the limit keeps its end, from a character's first byte.
    byte[] marked = new byte[mark.length() + bytes.length];
    System.arraycopy(mark.getBytes(StandardCharsets.US_ASCII), 0, marked, 0, mark.length());
    System.arraycopy(bytes, 0, marked, mark.length(), bytes.length);
    int from = (int) Math.max(0, marked.length + 1 - limit);
    while (from < marked.length && from > 0 && (marked[from] & 0xC0) == 0x80) {
      from++;
    }
    truncated |= from > 0;
    long size = marked.length - from + 1;
    String text = new String(marked, from, marked.length - from, StandardCharsets.UTF_8);
    kept += size;
    if (live != null) {
      truncated |= kept > limit; // older lines are beyond the limit (the sink keeps what it keeps)
      handedOn += text.length() + 1;
      if (!closed) {
        live.accept(text);
      }
      return;
    }
    lines.addLast(new Line(text, size));
    while (kept > limit && lines.size() > 1) {
      kept -= lines.removeFirst().bytes();
      truncated = true;
    }
  }

  private record Line(String text, long bytes) {}

  /** How many bytes the process wrote to both streams. */
  synchronized long total() {
    return total;
  }

  /** Whether older output was dropped to stay within the limit. */
  synchronized boolean truncated() {
    return truncated;
  }

  /** The kept lines, oldest first, one per line (none for a live tail: they were handed on). */
  synchronized String text() {
    return String.join("\n", lines.stream().map(Line::text).toList());
  }

  /** The characters of the output as one text: the kept lines, or the lines handed on. */
  synchronized long length() {
    return live != null ? Math.max(0, handedOn - 1) : text().length();
  }

  /**
   * Hands no more lines on: what a process left behind writes after the run ended is not logged.
   */
  synchronized void close() {
    closed = true;
  }
}
