package dev.chime.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.chime.spi.JsonValues;
import java.util.Locale;
import java.util.Map;

/** The server's one JSON mapper: plain maps and lists in, plain maps and lists out. */
final class Json {
  static final ObjectMapper MAPPER =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder().maxNestingDepth(JsonValues.MAX_DEPTH).build())
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .build();

  private Json() {}

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The body as a tree; 400 naming the position when it is not JSON. */
  static JsonNode read(String body) {
    if (body == null || body.isBlank()) {
      throw ApiException.malformed("body", "the body is empty; expected a JSON object");
    }
    try {
      return MAPPER.readTree(body);
    } catch (StreamConstraintsException e) {
      throw ApiException.malformed(
          "body",
          "the body's arrays and objects nest more than " + JsonValues.MAX_DEPTH + " levels deep");
    } catch (JsonProcessingException e) {
      throw ApiException.malformed(
          "body",
          String.format(
              Locale.ROOT,
              "the body is not valid JSON at line %d, column %d: %s",
              e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
              e.getLocation() == null ? 0 : e.getLocation().getColumnNr(),
              e.getOriginalMessage()));
    }
  }

  /** The body as a JSON object; 400 when it is not JSON, 422 when it is not an object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> readObject(String body) {
    JsonNode tree = read(body);
    if (!tree.isObject()) {
      throw ApiException.invalid(
          "body", "the body must be a JSON object, was " + tree.getNodeType());
    }
    return MAPPER.convertValue(tree, Map.class);
  }
}
