package dev.chime.server;

import java.util.List;

/**
 * A request the API refuses; becomes an RFC 9457 problem with the status, a title, the detail and,
 * for bad input, the field (or parameter) at fault and every error found.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String field;
  private final transient List<String> errors;
  private final int line;

  ApiException(int status, String field, String detail, List<String> errors, int line) {
    super(detail);
    this.status = status;
    this.field = field;
    this.errors = List.copyOf(errors);
    this.line = line;
  }

  ApiException(int status, String field, String detail, List<String> errors) {
    this(status, field, detail, errors, 0);
  }

  ApiException(int status, String field, String detail) {
    this(status, field, detail, List.of());
  }

  /** 400: the request cannot be read (bad JSON or YAML, a parameter of the wrong type). */
  static ApiException malformed(String field, String detail) {
    return new ApiException(400, field, detail);
  }

  /** 422: the request reads, but a value breaks a rule. */
  static ApiException invalid(String field, String detail) {
    return new ApiException(422, field, detail);
  }

  /** 404: nothing with the id. */
  static ApiException notFound(String detail) {
    return new ApiException(404, null, detail);
  }

  int status() {
    return status;
  }

  String field() {
    return field;
  }

  List<String> errors() {
    return errors;
  }

  /** The body's line (1-based) of the first error, or 0 when not known. */
  int line() {
    return line;
  }
}
