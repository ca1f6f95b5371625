package dev.chime.server.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.chime.spi.JsonValues;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed document whose every value knows its line. Jackson's tree model drops locations, so the
 * reader walks the streaming parser and builds these nodes itself; duplicate keys are caught here.
 */
final class Tree {
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();

  private Tree() {}

  /**
   * A value and the line it starts on: a {@code Map<String, Node>} (in order), a {@code
   * List<Node>}, a String, Number, Boolean, or null.
   */
  record Node(Object value, int line) {
    boolean isMap() {
      return value instanceof Map<?, ?>;
    }

    @SuppressWarnings("unchecked")
    Map<String, Node> map() {
      return (Map<String, Node>) value;
    }

    @SuppressWarnings("unchecked")
    List<Node> list() {
      return (List<Node>) value;
    }

    /** What the value is, for messages: object, array, string, number, boolean or null. */
    String kind() {
      return switch (value) {
        case null -> "null";
        case Map<?, ?> m -> "object";
        case List<?> l -> "array";
        case String s -> "string";
        case Number n -> "number";
        case Boolean b -> "boolean";
        default -> value.getClass().getSimpleName();
      };
    }
  }

  /**
   * The document's root, or null with the error added. YAML unless {@code json}; a YAML stream of
   * more than one document is an error.
   */
  static Node parse(String text, boolean json, String source, List<SpecError> errors) {
    try (JsonParser parser = (json ? JSON : YAML).createParser(text)) {
      if (parser.nextToken() == null) {
        errors.add(new SpecError(source, 1, "", "the document is empty"));
        return null;
      }
      Node root = value(parser, "", source, errors, 0);
      JsonToken extra = parser.nextToken();
      if (extra != null) {
        errors.add(
            new SpecError(
                source,
                line(parser),
                "",
                json
                    ? "text after the end of the JSON value"
                    : "a second YAML document: put every job in one 'jobs:' list"));
        return null;
      }
      return root;
    } catch (JsonProcessingException e) {
      errors.add(malformed(source, e));
      return null;
    } catch (IOException e) {
      errors.add(new SpecError(source, 0, "", "cannot be read: " + e.getMessage()));
      return null;
    }
  }

  /**
   * A syntax error as one line, at the line where it broke, or where the quote or bracket it leaves
   * open began. The YAML parser's own message spans several lines (with a snippet and a caret) and
   * Jackson's location is that of the last token read, a line early for a tab and lines late for an
   * unclosed quote or bracket: the error's own marks say where the construct began and where it
   * broke.
   */
  private static SpecError malformed(String source, JsonProcessingException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof org.yaml.snakeyaml.error.MarkedYAMLException yaml
          && yaml.getProblemMark() != null) {
        org.yaml.snakeyaml.error.Mark problem = yaml.getProblemMark();
        org.yaml.snakeyaml.error.Mark context = yaml.getContextMark();
        String broke = oneLine(yaml.getProblem());
        if (context == null || yaml.getContext() == null || sameMark(context, problem)) {
          return new SpecError(
              source,
              problem.getLine() + 1,
              "",
              "malformed: " + broke + " (column " + (problem.getColumn() + 1) + ")");
        }
        String within = oneLine(yaml.getContext());
        // A quote or bracket left open, or a key without its colon, is named where it began, since
        // it breaks lines later (at the end of the file, for a quote); a block (an indentation slip
        // deep in a list) at
        // the line where it broke, its start (often the top of the file) being only context.
        boolean open =
            within.contains("quoted") || within.contains("flow") || within.contains("simple key");
        org.yaml.snakeyaml.error.Mark at = open ? context : problem;
        return new SpecError(
            source,
            at.getLine() + 1,
            "",
            "malformed: "
                + (open ? within : broke)
                + " (column "
                + (at.getColumn() + 1)
                + (open ? "): " : "), ")
                + (open ? broke : within)
                + " at line "
                + ((open ? problem : context).getLine() + 1)
                + ", column "
                + ((open ? problem : context).getColumn() + 1));
      }
    }
    int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    return new SpecError(
        source, Math.max(line, 0), "", "malformed: " + oneLine(e.getOriginalMessage()));
  }

  private static boolean sameMark(
      org.yaml.snakeyaml.error.Mark a, org.yaml.snakeyaml.error.Mark b) {
    return a.getLine() == b.getLine() && a.getColumn() == b.getColumn();
  }

  private static String oneLine(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  private static int line(JsonParser parser) {
    return Math.max(parser.currentTokenLocation().getLineNr(), 0);
  }

  private static Node value(
      JsonParser parser, String path, String source, List<SpecError> errors, int depth)
      throws IOException {
    int line = line(parser);
    if (parser.currentToken().isStructStart() && depth == JsonValues.MAX_DEPTH) {
      // Refused before the reader's own recursion (and a store's) can run out of stack.
      errors.add(
          new SpecError(
              source,
              line,
              path,
              "arrays and objects may nest at most " + JsonValues.MAX_DEPTH + " levels deep"));
      parser.skipChildren();
      return new Node(null, line);
    }
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      // Jackson hands an alias over as a string holding the anchor's name: never read it as text.
      errors.add(
          new SpecError(
              source,
              line,
              path,
              "YAML aliases (*" + parser.getText() + ") are not supported: write the value out"));
      return new Node(null, line);
    }
    JsonToken token = parser.currentToken();
    return switch (token) {
      case START_OBJECT -> {
        Map<String, Node> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String name = parser.currentName();
          int keyLine = line(parser);
          parser.nextToken();
          String child = path.isEmpty() ? name : path + "." + name;
          Node value = value(parser, child, source, errors, depth + 1);
          if (fields.putIfAbsent(name, value) != null) {
            errors.add(new SpecError(source, keyLine, child, "the key is given twice"));
          }
        }
        yield new Node(fields, line);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(value(parser, path + "[" + items.size() + "]", source, errors, depth + 1));
        }
        yield new Node(items, line);
      }
      case VALUE_STRING -> new Node(parser.getText(), line);
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new Node(parser.getNumberValue(), line);
      case VALUE_TRUE -> new Node(Boolean.TRUE, line);
      case VALUE_FALSE -> new Node(Boolean.FALSE, line);
      case VALUE_NULL -> new Node(null, line);
      default -> new Node(parser.getText(), line);
    };
  }
}
