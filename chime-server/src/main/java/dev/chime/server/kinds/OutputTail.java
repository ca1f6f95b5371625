package dev.chime.server.kinds;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The newest lines of a process's stdout and stderr, at most {@code limit} bytes of them (a line
 * longer than the limit keeps its end). Each stream is read on a thread of its own as the output
 * comes, so a process that writes a lot to one stream never blocks on a full pipe; stderr lines are
 * marked with {@value #STDERR_MARK}.
 */
final class OutputTail {
  static final String STDERR_MARK = "[stderr] ";
  private static final int MAX_LINE = 8192;

  private final long limit;
  private final Deque<Line> lines = new ArrayDeque<>();
  private long kept;
  private long total;
  private boolean truncated;

  OutputTail(long limit) {
    this.limit = limit;
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
    lines.addLast(
        new Line(new String(marked, from, marked.length - from, StandardCharsets.UTF_8), size));
    kept += size;
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

  /** The kept lines, oldest first, one per line. */
  synchronized String text() {
    return String.join("\n", lines.stream().map(Line::text).toList());
  }
}
