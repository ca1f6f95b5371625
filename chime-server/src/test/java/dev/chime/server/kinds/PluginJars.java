package dev.chime.server.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.JobHandler;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    Path src = Files.createDirectories(temp.resolve("src-" + className + "/test/plugin"));
    Files.writeString(src.resolve(className + ".java"), source);
    Path classes = Files.createDirectories(temp.resolve("classes-" + className));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    int exit =
        javac.run(
            null,
            null,
            null,
            "-d",
            classes.toString(),
            "-cp",
            classpathOf(ChimePlugin.class) + File.pathSeparator + classpathOf(JobHandler.class),
            src.resolve(className + ".java").toString());
    assertThat(exit).isZero();
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
