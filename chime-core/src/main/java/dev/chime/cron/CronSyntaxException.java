package dev.chime.cron;

import java.io.Serial;

/**
 * A cron expression that cannot be parsed or can never fire. The message names the field, the
 * reason and the 1-based column, e.g. {@code day-of-week: 'fry' is not a day name (column 9)}.
 */
public final class CronSyntaxException extends IllegalArgumentException {
  @Serial private static final long serialVersionUID = 1L;

  private final String expression;
  private final String field;
  private final int column;
  private final String reason;

  CronSyntaxException(String expression, String field, int column, String reason) {
    super(format(field, column, reason));
    this.expression = expression;
    this.field = field;
    this.column = column;
    this.reason = reason;
  }

  private static String format(String field, int column, String reason) {
    String where = column > 0 ? " (column " + column + ")" : "";
    return (field == null ? "" : field + ": ") + reason + where;
  }

  /** The expression as given. */
  public String expression() {
    return expression;
  }

  /** The field at fault ({@code minute}, {@code day-of-week}, ...), or null for the whole text. */
  public String field() {
    return field;
  }

  /** The 1-based column where the offending text starts, or 0 when there is none. */
  public int column() {
    return column;
  }

  /** The reason, without field or column. */
  public String reason() {
    return reason;
  }
}
