package dev.chime.cli;

import java.io.BufferedWriter;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One of the CLI's streams (stdout or stderr), UTF-8, flushed at the end of every line, that
 * remembers why a write failed. A PrintWriter swallows the IOException and keeps only a flag
 * ({@link #checkError}); this keeps the first one too, so that {@code chime jobs list > /dev/full}
 * can say what went wrong instead of exiting 0.
 */
final class Output extends PrintWriter {
  private final Recorder recorder;

  /** Writes to the stream (not through {@code System.out}, a PrintStream that swallows as well). */
  static Output of(OutputStream stream) {
    return new Output(new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)));
  }

  Output(Writer writer) {
    this(new Recorder(writer));
  }

  private Output(Recorder recorder) {
    super(recorder, true);
    this.recorder = recorder;
  }

  /** Why writing to the writer failed (flushing it first), or empty when nothing failed. */
  static Optional<String> failure(PrintWriter writer) {
    if (!writer.checkError()) {
      return Optional.empty();
    }
    IOException failure = writer instanceof Output output ? output.recorder.failure : null;
    return Optional.of(
        failure == null || failure.getMessage() == null ? "write error" : failure.getMessage());
  }

  /** Passes everything on and keeps the first IOException. */
  private static final class Recorder extends FilterWriter {
    private IOException failure;

    Recorder(Writer writer) {
      super(writer);
    }

    @Override
    public void write(int c) throws IOException {
      try {
        super.write(c);
      } catch (IOException e) {
        throw kept(e);
      }
    }

    @Override
    public void write(char[] chars, int offset, int length) throws IOException {
      try {
        super.write(chars, offset, length);
      } catch (IOException e) {
        throw kept(e);
      }
    }

    @Override
    public void write(String text, int offset, int length) throws IOException {
      try {
        super.write(text, offset, length);
      } catch (IOException e) {
        throw kept(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        super.flush();
      } catch (IOException e) {
        throw kept(e);
      }
    }

    private IOException kept(IOException e) {
      if (failure == null) {
        failure = e;
      }
      return e;
    }
  }
}
