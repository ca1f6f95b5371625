package dev.chime.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads the fields of one JSON object strictly: a field of the wrong type, a missing required one
 * and (at {@link #end}) any field not read are errors that name the field's path.
 */
final class JsonObjectReader {
  private final JsonNode node;
  private final String path;
  private final Set<String> read = new HashSet<>();

  private JsonObjectReader(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /** A reader of the node, which must be an object. */
  static JsonObjectReader of(JsonNode node, String path) {
    if (node == null || !node.isObject()) {
      throw new JobFormatException(path + " must be a JSON object, was " + describe(node));
    }
    return new JsonObjectReader(node, path);
  }

  /** The field's value, or null if it is absent or JSON null. */
  JsonNode optional(String field) {
    read.add(field);
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value;
  }

  /** The field's value; an error if it is absent or null. */
  JsonNode required(String field) {
    JsonNode value = optional(field);
    if (value == null) {
      throw new JobFormatException(where(field) + " is missing");
    }
    return value;
  }

  String where(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  String text(String field) {
    return asText(required(field), where(field));
  }

  String optionalText(String field) {
    JsonNode value = optional(field);
    return value == null ? null : asText(value, where(field));
  }

  long integer(String field, long absent) {
    JsonNode value = optional(field);
    if (value == null) {
      return absent;
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new JobFormatException(where(field) + " must be an integer, was " + describe(value));
    }
    return value.longValue();
  }

  int smallInteger(String field, int absent) {
    long value = integer(field, absent);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new JobFormatException(where(field) + " is out of range: " + value);
    }
    return (int) value;
  }

  Instant instant(String field) {
    return parse(required(field), field, Instant::parse);
  }

  Instant optionalInstant(String field) {
    JsonNode value = optional(field);
    return value == null ? null : parse(value, field, Instant::parse);
  }

  Duration duration(String field, Duration absent) {
    JsonNode value = optional(field);
    return value == null ? absent : parse(value, field, Duration::parse);
  }

  Duration requiredDuration(String field) {
    return parse(required(field), field, Duration::parse);
  }

  Duration optionalDuration(String field) {
    return duration(field, null);
  }

  /** The enum constant the field names in lower case (an unknown name is an error). */
  <E extends Enum<E>> E constant(String field, Class<E> type, E absent) {
    JsonNode value = optional(field);
    if (value == null) {
      if (absent == null) {
        throw new JobFormatException(where(field) + " is missing");
      }
      return absent;
    }
    return constant(asText(value, where(field)), where(field), type);
  }

  /** The enum constant named in lower case; an unknown name is an error at {@code where}. */
  static <E extends Enum<E>> E constant(String name, String where, Class<E> type) {
    for (E constant : type.getEnumConstants()) {
      if (constant.name().toLowerCase(Locale.ROOT).equals(name)) {
        return constant;
      }
    }
    throw new JobFormatException(where + ": unknown value '" + name + "'");
  }

  /** The field's array items as texts (absent: empty). */
  List<String> texts(String field) {
    List<String> texts = new ArrayList<>();
    int index = 0;
    for (JsonNode item : array(field)) {
      texts.add(asText(item, where(field) + "[" + index++ + "]"));
    }
    return texts;
  }

  /** The field's array (absent: empty). */
  List<JsonNode> array(String field) {
    JsonNode value = optional(field);
    if (value == null) {
      return List.of();
    }
    if (!value.isArray()) {
      throw new JobFormatException(where(field) + " must be an array, was " + describe(value));
    }
    List<JsonNode> items = new ArrayList<>(value.size());
    value.forEach(items::add);
    return items;
  }

  /** Fails naming the first field that was never read: the format has no such field. */
  void end() {
    for (var fields = node.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!read.contains(field)) {
        throw new JobFormatException(where(field) + ": unknown field");
      }
    }
  }

  private <T> T parse(JsonNode value, String field, Function<String, T> parser) {
    String text = asText(value, where(field));
    try {
      return parser.apply(text);
    } catch (DateTimeException e) {
      throw new JobFormatException(where(field) + ": cannot read '" + text + "'", e);
    }
  }

  private static String asText(JsonNode value, String where) {
    if (!value.isTextual()) {
      throw new JobFormatException(where + " must be a string, was " + describe(value));
    }
    return value.textValue();
  }

  private static String describe(JsonNode value) {
    return value == null ? "missing" : value.getNodeType().name().toLowerCase(Locale.ROOT);
  }
}
