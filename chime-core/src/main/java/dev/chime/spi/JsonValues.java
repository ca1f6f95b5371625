package dev.chime.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON-friendly values job params and run results may hold: null, strings, booleans, numbers,
 * lists and string-keyed maps of them. Stores can persist exactly these shapes.
 */
public final class JsonValues {
  /**
   * How deep lists and maps may nest (the outermost counts as 1): deeper values are refused rather
   * than copied, so that copying, storing and reading them back never runs out of stack.
   */
  public static final int MAX_DEPTH = 32;

  private JsonValues() {}

  // One shared copy of an empty map and list: most jobs have no params, and a fresh empty map per
  // job was 96 B of every pending job's heap (the same unmodifiable wrappers, so the same
  // behaviour).
  private static final Map<String, Object> EMPTY_MAP =
      java.util.Collections.unmodifiableMap(new LinkedHashMap<>());
  private static final List<Object> EMPTY_LIST =
      java.util.Collections.unmodifiableList(new ArrayList<>(0));

  /**
   * A deep, unmodifiable copy of the map; fails naming the first value at {@code path} that is not
   * JSON.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> copyMap(Map<String, ?> map, String path) {
    return (Map<String, Object>) copy(map, path);
  }

  /**
   * A deep, unmodifiable copy of the value; fails naming the first part that is not JSON or that
   * nests deeper than {@value #MAX_DEPTH} levels.
   */
  public static Object copy(Object value, String path) {
    return copy(value, path, 0);
  }

  private static Object copy(Object value, String path, int depth) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Integer
        || value instanceof Long
        || value instanceof Double
        || value instanceof Float
        || value instanceof Short
        || value instanceof Byte
        || value instanceof java.math.BigDecimal
        || value instanceof java.math.BigInteger) {
      return value;
    }
    if ((value instanceof Map<?, ?> || value instanceof Collection<?>) && depth == MAX_DEPTH) {
      throw new IllegalArgumentException(
          path + ": lists and maps may nest at most " + MAX_DEPTH + " levels deep");
    }
    if (value instanceof Map<?, ?> map) {
      if (map.isEmpty()) {
        return EMPTY_MAP;
      }
      Map<String, Object> copy = new LinkedHashMap<>();
      for (Map.Entry<?, ?> entry : map.entrySet()) {
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              path + ": keys must be strings, was " + entry.getKey());
        }
        copy.put(key, copy(entry.getValue(), path + "." + key, depth + 1));
      }
      return java.util.Collections.unmodifiableMap(copy);
    }
    if (value instanceof Collection<?> list) {
      if (list.isEmpty()) {
        return EMPTY_LIST;
      }
      List<Object> copy = new ArrayList<>(list.size());
      int index = 0;
      for (Object item : list) {
        copy.add(copy(item, path + "[" + index++ + "]", depth + 1));
      }
      return java.util.Collections.unmodifiableList(copy);
    }
    throw new IllegalArgumentException(
        path
            + ": a "
            + value.getClass().getName()
            + " is not JSON (use strings, numbers,"
            + " booleans, null, lists and maps)");
  }
}
