package dev.chime.server.kinds;

import dev.chime.JobFailedException;
import dev.chime.server.spec.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one kind's params field by field, collecting an error per bad field ("field: what is
 * wrong") instead of stopping at the first; a getter returns null for a field that is absent or
 * bad, so a caller reads every field, then looks at {@link #errors()}.
 */
final class Params {
  private final Map<String, Object> values;
  private final List<String> errors = new ArrayList<>();

  Params(Map<String, Object> values, Set<String> known) {
    this.values = values == null ? Map.of() : values;
    for (String key : new TreeSet<>(this.values.keySet())) {
      if (!known.contains(key)) {
        errors.add(
            key + ": unknown field (known: " + String.join(", ", new TreeSet<>(known)) + ")");
      }
    }
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  boolean has(String field) {
    return values.get(field) != null;
  }

  void error(String field, String message) {
    errors.add(field + ": " + message);
  }

  /** Throws the collected errors as one failure, if there are any. */
  void check(String kind) throws JobFailedException {
    if (!errors.isEmpty()) {
      throw new JobFailedException("invalid " + kind + " params: " + String.join("; ", errors));
    }
  }

  String string(String field) {
    Object value = values.get(field);
    if (value == null || value instanceof String) {
      return (String) value;
    }
    return wrongType(field, "a string", value);
  }

  String requiredString(String field) {
    String value = string(field);
    if (values.get(field) == null) { // absent, or given as null
      error(field, "is required");
    } else if (value != null && value.isBlank()) {
      error(field, "must not be blank");
      return null;
    }
    return value;
  }

  /** An absolute path, normalised; null if absent or bad. */
  Path absolutePath(String field) {
    String text = string(field);
    if (text == null) {
      return null;
    }
    try {
      Path path = Path.of(text);
      if (path.isAbsolute()) {
        return path.normalize();
      }
      error(field, "must be an absolute path, was '" + text + "'");
    } catch (InvalidPathException e) {
      error(field, "is not a path: " + e.getMessage());
    }
    return null;
  }

  boolean bool(String field) {
    Object value = values.get(field);
    if (value == null || value instanceof Boolean) {
      return Boolean.TRUE.equals(value);
    }
    wrongType(field, "true or false", value);
    return false;
  }

  List<String> strings(String field) {
    Object value = values.get(field);
    if (value == null) {
      return null;
    }
    if (!(value instanceof List<?> list)) {
      return wrongType(field, "a list of strings", value);
    }
    List<String> out = new ArrayList<>(list.size());
    for (int i = 0; i < list.size(); i++) {
      if (!(list.get(i) instanceof String item)) {
        return wrongType(field + "[" + i + "]", "a string", list.get(i));
      }
      out.add(item);
    }
    return out;
  }

  Map<String, String> stringMap(String field) {
    Object value = values.get(field);
    if (value == null) {
      return Map.of();
    }
    if (!(value instanceof Map<?, ?> map)) {
      return wrongType(field, "a map of strings", value);
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      String key = String.valueOf(entry.getKey());
      if (!(entry.getValue() instanceof String item)) {
        return wrongType(field + "." + key, "a string", entry.getValue());
      }
      out.put(key, item);
    }
    return out;
  }

  Object raw(String field) {
    return values.get(field);
  }

  /** A whole number within [min, max], or null if absent or bad. */
  Long integer(String field, long min, long max) {
    Object value = values.get(field);
    return value == null ? null : wholeNumber(field, value, min, max);
  }

  /** The value (of the field) as a whole number within [min, max], or null if it is bad. */
  Long wholeNumber(String field, Object value, long min, long max) {
    Long n = wholeNumber(value);
    if (n == null) {
      return wrongType(field, "a whole number", value);
    }
    return inRange(field, n, min, max);
  }

  /** A size in bytes: a whole number, or text like {@code 500MB}; null if absent or bad. */
  Long size(String field, long min, long max) {
    Object value = values.get(field);
    if (value instanceof String text) {
      try {
        return inRange(field, Values.size(text), min, max);
      } catch (IllegalArgumentException e) {
        error(field, e.getMessage());
        return null;
      }
    }
    return integer(field, min, max);
  }

  /** A positive duration (ISO-8601 like PT30S, or 30s); null if absent or bad. */
  Duration duration(String field) {
    String text = string(field);
    if (text == null) {
      return null;
    }
    try {
      Duration duration = Values.duration(text);
      if (duration.isNegative() || duration.isZero()) {
        error(field, "must be positive, was " + text);
        return null;
      }
      if (duration.compareTo(dev.chime.Job.LONGEST) > 0) {
        error(field, "must be at most " + dev.chime.Job.LONGEST + " (100 years), was " + text);
        return null;
      }
      return duration;
    } catch (IllegalArgumentException e) {
      error(field, e.getMessage());
      return null;
    }
  }

  private Long inRange(String field, long n, long min, long max) {
    if (n < min || n > max) {
      error(field, "must be " + min + "-" + max + ", was " + n);
      return null;
    }
    return n;
  }

  private static Long wholeNumber(Object value) {
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigInteger big && big.bitLength() < 64) {
      return big.longValue();
    }
    if (value instanceof Double || value instanceof Float || value instanceof BigDecimal) {
      BigDecimal decimal = new BigDecimal(value.toString());
      try {
        return decimal.stripTrailingZeros().longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  private <T> T wrongType(String field, String expected, Object value) {
    String shown = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    error(field, "must be " + expected + ", was " + shown);
    return null;
  }
}
