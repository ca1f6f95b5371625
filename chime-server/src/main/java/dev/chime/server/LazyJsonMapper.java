package dev.chime.server;

import io.javalin.json.JavalinJackson;
import io.javalin.json.JsonMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Type;
import java.util.stream.Stream;

/**
 * Javalin's JSON mapper over {@link Json#MAPPER}, built on first use: until a response carries
 * JSON, none of Jackson's classes load (an idle server answers only health checks, whose bodies are
 * constants: docs/benchmarks.md, Server).
 */
final class LazyJsonMapper implements JsonMapper {
  /** The holder idiom: the class, and so Jackson, initialises on the first call. */
  private static final class Jackson {
    static final JavalinJackson MAPPER = new JavalinJackson(Json.MAPPER, false);
  }

  @Override
  public String toJsonString(Object value, Type type) {
    return Jackson.MAPPER.toJsonString(value, type);
  }

  @Override
  public InputStream toJsonStream(Object value, Type type) {
    return Jackson.MAPPER.toJsonStream(value, type);
  }

  @Override
  public void writeToOutputStream(Stream<?> stream, OutputStream out) {
    Jackson.MAPPER.writeToOutputStream(stream, out);
  }

  @Override
  public <T> T fromJsonString(String json, Type type) {
    return Jackson.MAPPER.fromJsonString(json, type);
  }

  @Override
  public <T> T fromJsonStream(InputStream json, Type type) {
    return Jackson.MAPPER.fromJsonStream(json, type);
  }
}
