package dev.chime.cli;

import dev.chime.server.kinds.PluginException;
import dev.chime.server.kinds.Plugins;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code --plugins DIR} of {@code plan} and {@code apply}: the plugin jars whose exception types
 * job files name in {@code retry_on} and {@code abort_on}, so the files read here as the server
 * reads them.
 */
final class PluginsOption {
  @Option(
      names = "--plugins",
      paramLabel = "DIR",
      description =
          "Plugin jars (as given to serve --plugins) whose exception types the files name"
              + " in retry_on or abort_on.")
  Path dir;

  /** Runs the action with the jars' classes in reach of the job parser. */
  <T> T around(Supplier<T> action) {
    if (dir == null) {
      return action.get();
    }
    ClassLoader classes;
    try {
      classes = Plugins.classes(dir);
    } catch (PluginException e) {
      throw new Main.UsageError(e.getMessage());
    }
    return Plugins.withClasses(classes, action);
  }
}
