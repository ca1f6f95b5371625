package dev.chime.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

  private static String print(Table table) {
    StringWriter text = new StringWriter();
    table.print(new PrintWriter(text, true));
    return text.toString();
  }

  @Test
  void columnsAlignUnderTheHeaderWithoutTrailingSpaces() {
    Table table =
        Table.of("ID", "STATE", "NOTE").row("backup", "active", "x").row("a", "paused", "");
    assertThat(print(table).lines())
        .containsExactly("ID      STATE   NOTE", "backup  active  x", "a       paused  -");
  }

  @Test
  void missingCellsShowADashAndLineBreaksStayOnOneRow() {
    Table table = Table.of("A", "B").row(null, "first line\nsecond line\n");
    assertThat(print(table).lines()).containsExactly("A  B", "-  first line / second line");
    assertThat(table.isEmpty()).isFalse();
    assertThat(Table.of("A").isEmpty()).isTrue();
  }
}
