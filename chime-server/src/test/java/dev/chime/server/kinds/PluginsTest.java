package dev.chime.server.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chime.JobHandler;
import dev.chime.Run;
import dev.chime.RunState;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plugin jars built here: a class compiled for the test, only in the jar, named by its services
 * file.
 */
class PluginsTest {
  private static final String SERVICE = PluginJars.SERVICE;
  @TempDir Path temp;

  private Path pluginJar(Path dir, String jarName, String className, String... handlerNames)
      throws Exception {
    return PluginJars.build(temp, dir, jarName, className, handlerNames);
  }

  private Path dir(String name) throws IOException {
    return Files.createDirectories(temp.resolve(name));
  }

  @Test
  void loadsHandlersFromEveryJarAndTheyRunInAScheduler() throws Exception {
    Path dir = dir("plugins");
    pluginJar(dir, "a.jar", "Greeter", "greet", "wave");
    pluginJar(dir, "b.jar", "Other", "nod");
    Files.writeString(dir.resolve("README.txt"), "not a jar");

    Map<String, JobHandler> handlers = Plugins.load(dir).handlers();

    assertThat(handlers).containsOnlyKeys("greet", "wave", "nod");
    try (Kinds kinds = new Kinds()) {
      handlers.forEach(kinds.scheduler::register);
      Run run = kinds.run("greet", Map.of());
      assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
      assertThat(run.log()).contains("greet says hi");
    }
  }

  @Test
  void anEmptyDirectoryGivesNoHandlers() throws IOException {
    assertThat(Plugins.load(dir("empty")).handlers()).isEmpty();
  }

  @Test
  void refusesANameOfABuiltInKind() throws Exception {
    Path dir = dir("clash");
    Path jar = pluginJar(dir, "bad.jar", "Clash", "command");

    assertThatThrownBy(() -> Plugins.load(dir))
        .isInstanceOf(PluginException.class)
        .hasMessage("plugin " + jar + ": handler 'command' clashes with the built-in kind");
  }

  @Test
  void refusesANameTwoPluginsGive() throws Exception {
    Path dir = dir("twice");
    pluginJar(dir, "a.jar", "First", "same");
    Path second = pluginJar(dir, "b.jar", "Second", "same");

    assertThatThrownBy(() -> Plugins.load(dir))
        .hasMessage("plugin " + second + ": handler 'same' is given twice");
  }

  @Test
  void aBrokenJarIsAClearError() throws Exception {
    Path dir = dir("broken");
    Path jar =
        Files.write(dir.resolve("broken.jar"), "this is no zip".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> Plugins.load(dir))
        .isInstanceOf(PluginException.class)
        .hasMessageStartingWith("plugin " + jar + ": not a readable jar: ");
  }

  @Test
  void aJarWithoutAPluginIsAClearError() throws Exception {
    Path dir = dir("none");
    Path jar = dir.resolve("plain.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      PluginJars.add(out, "hello.txt", new byte[] {1});
    }

    assertThatThrownBy(() -> Plugins.load(dir))
        .hasMessage("plugin " + jar + ": declares no plugin (it has no " + SERVICE + ")");
  }

  @Test
  void aServicesFileNamingAMissingClassIsAClearError() throws Exception {
    Path dir = dir("missing");
    Path jar = dir.resolve("missing.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      PluginJars.add(out, SERVICE, "test.plugin.Nowhere\n".getBytes(StandardCharsets.UTF_8));
    }

    assertThatThrownBy(() -> Plugins.load(dir))
        .isInstanceOf(PluginException.class)
        .hasMessageStartingWith("plugin " + jar + ": ")
        .hasMessageContaining("test.plugin.Nowhere");
  }

  @Test
  void aMissingDirectoryIsAClearError() {
    Path none = temp.resolve("nope");
    assertThatThrownBy(() -> Plugins.load(none))
        .hasMessage("plugins: " + none + " is not a directory");
  }

  @Test
  void theBuiltInNamesAreTheKinds() {
    assertThat(JobKinds.NAMES).containsExactlyInAnyOrder("command", "http", "cleanup");
  }
}
