package dev.chime.server.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.JobHandler;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Plugin jars built for tests: a class compiled here, only in the jar, named by its services file.
 */
public final class PluginJars {
  static final String SERVICE = "META-INF/services/" + ChimePlugin.class.getName();

  private PluginJars() {}

  /**
   * Compiles a plugin class that registers handlers logging "NAME says hi", and jars it into {@code
   * dir}; sources and classes go under {@code temp}.
   */
  public static Path build(
      Path temp, Path dir, String jarName, String className, String... handlerNames)
      throws Exception {
    StringBuilder map = new StringBuilder();
    for (String name : handlerNames) {
      map.append(map.isEmpty() ? "" : ", ")
          .append('"')
          .append(name)
          .append("\", (dev.chime.JobHandler) ctx -> ctx.log(\"")
          .append(name)
          .append(" says hi\")");
    }
    String source =
        "package test.plugin;\n"
            + "public class "
            + className
            + " implements dev.chime.server.kinds.ChimePlugin {\n"
            + "  public java.util.Map<String, dev.chime.JobHandler> handlers() {\n"
            + "    return java.util.Map.of("
            + map
            + ");\n"
            + "  }\n"
            + "}\n";
    return build(temp, dir, jarName, className, Map.of(className, source));
  }

  /** The exception type of {@link #buildFlaky}'s plugin. */
  public static final String HICCUP = "test.plugin.Hiccup";

  /**
   * Jars "flaky.jar" into {@code dir}: a plugin with the handler "flaky", which throws its own
   * exception type {@value #HICCUP} on the first attempt and logs "attempt N worked" on later ones.
   */
  public static Path buildFlaky(Path temp, Path dir) throws Exception {
    return build(
        temp,
        dir,
        "flaky.jar",
        "Flaky",
        Map.of(
            "Flaky",
            """
            package test.plugin;
            public class Flaky implements dev.chime.server.kinds.ChimePlugin {
              public java.util.Map<String, dev.chime.JobHandler> handlers() {
                return java.util.Map.of("flaky", ctx -> {
                  if (ctx.attempt() == 1) {
                    throw new Hiccup("first try");
                  }
                  ctx.log("attempt " + ctx.attempt() + " worked");
                });
              }
            }
            """,
            "Hiccup",
            """
            package test.plugin;
            public class Hiccup extends RuntimeException {
              public Hiccup(String message) {
                super(message);
              }
            }
            """));
  }

  /**
   * Compiles the sources (class name in package {@code test.plugin} to source text) and jars them
   * into {@code dir}, with {@code className} as the plugin its services file names.
   */
  public static Path build(
      Path temp, Path dir, String jarName, String className, Map<String, String> sources)
      throws Exception {
    Path src = Files.createDirectories(temp.resolve("src-" + className + "/test/plugin"));
    List<String> args = new ArrayList<>();
    args.addAll(
        List.of(
            "-d",
            temp.resolve("classes-" + className).toString(),
            "-cp",
            classpathOf(ChimePlugin.class) + File.pathSeparator + classpathOf(JobHandler.class)));
    for (Map.Entry<String, String> source : sources.entrySet()) {
      Path file = src.resolve(source.getKey() + ".java");
      Files.writeString(file, source.getValue());
      args.add(file.toString());
    }
    Path classes = Files.createDirectories(temp.resolve("classes-" + className));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertThat(javac.run(null, null, null, args.toArray(String[]::new))).isZero();
    Path jar = dir.resolve(jarName);
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      add(out, SERVICE, ("test.plugin." + className + "\n").getBytes(StandardCharsets.UTF_8));
      try (Stream<Path> files = Files.walk(classes)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          add(out, classes.relativize(file).toString(), Files.readAllBytes(file));
        }
      }
    }
    return jar;
  }

  static void add(JarOutputStream out, String name, byte[] bytes) throws IOException {
    out.putNextEntry(new JarEntry(name));
    out.write(bytes);
    out.closeEntry();
  }

  private static String classpathOf(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }
}
