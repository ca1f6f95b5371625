package dev.chime.server.spec;

import java.util.List;

/** A job file or body that cannot be used, with every error found in it (at least one). */
public final class SpecException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The errors; a list of records, so serializable in practice. */
  @SuppressWarnings("serial")
  private final List<SpecError> errors;

  /** An exception listing the errors; there must be at least one. */
  public SpecException(List<SpecError> errors) {
    super(message(errors));
    this.errors = List.copyOf(errors);
  }

  /** Every error, in the order found. */
  public List<SpecError> errors() {
    return errors;
  }

  private static String message(List<SpecError> errors) {
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("a SpecException needs at least one error");
    }
    StringBuilder text = new StringBuilder();
    for (SpecError error : errors) {
      text.append(text.isEmpty() ? "" : "\n").append(error);
    }
    return text.toString();
  }
}
