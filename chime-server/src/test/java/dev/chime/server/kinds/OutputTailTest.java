package dev.chime.server.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The kept tail of a process's output: within its limit, whatever the output is. */
class OutputTailTest {
  private static OutputTail read(long limit, byte[] output, boolean stderr)
      throws InterruptedException {
    OutputTail tail = new OutputTail(limit);
    tail.drain(new ByteArrayInputStream(output), stderr).join();
    return tail;
  }

  @Test
  void aLimitSmallerThanTheStderrMarkStillHoldsTheKeptText() throws InterruptedException {
    OutputTail tail = read(4, "oops\n".getBytes(StandardCharsets.US_ASCII), true);
    assertThat(tail.text()).isEqualTo("ops");
    assertThat(tail.text().length() + 1).as("with its newline, within the limit").isEqualTo(4);
    assertThat(tail.truncated()).isTrue();
    OutputTail wide = read(3, "é€\n".getBytes(StandardCharsets.UTF_8), false);
    assertThat(wide.text()).as("cut at a character's first byte").isEmpty();
    assertThat(read(4, "é€\n".getBytes(StandardCharsets.UTF_8), false).text()).isEqualTo("€");
  }

  @Test
  void outputThatIsNotUtf8IsSplitIntoBoundedLinesAnyway() throws InterruptedException {
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    for (int i = 0; i < 20_000; i++) {
      output.write(0x80); // continuation bytes only: never a place between characters
    }
    output.write('a');
    output.write('\n');
    OutputTail tail = read(65_536, output.toByteArray(), false);
    assertThat(tail.total()).isEqualTo(20_002);
    assertThat(tail.text().lines().count()).as("split, not one unbounded line").isEqualTo(3);
  }

  @Test
  void aLiveTailHandsEachLineOnAsItIsReadAndNoneOnceClosed() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    OutputTail tail = new OutputTail(65_536, seen::add);
    PipedOutputStream process = new PipedOutputStream();
    Thread reader = tail.drain(new PipedInputStream(process), true);
    process.write("one\n".getBytes(StandardCharsets.UTF_8));
    process.flush();
    Kinds.await("the first line", () -> seen.isEmpty() ? null : seen);
    assertThat(seen).containsExactly("[stderr] one");
    tail.close();
    process.write("two\n".getBytes(StandardCharsets.UTF_8));
    process.close();
    reader.join();
    assertThat(seen).as("nothing is handed on once closed").containsExactly("[stderr] one");
    assertThat(tail.total()).isEqualTo(8);
    assertThat(tail.text()).as("a live tail keeps no line").isEmpty();
    assertThat(tail.truncated()).isFalse();
  }
}
