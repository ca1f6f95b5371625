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
          // A line too long is split, but never inside a UTF-8 character (before a continuation
          // byte, up to three bytes more): a split character would read as two U+FFFD.
          if (buffer[i] == '\n' || line.size() >= MAX_LINE && (buffer[i] & 0xC0) != 0x80) {
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
    // the mark counts, so the kept text is within the limit as the log shows it
    int from = (int) Math.max(0, mark.length() + bytes.length + 1 - limit);
    from = Math.min(from, bytes.length);
    truncated |= from > 0;
    long size = mark.length() + bytes.length - from + 1;
    lines.addLast(
        new Line(
            mark + new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8), size));
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
