package dev.chime.server.kinds;

import dev.chime.JobHandler;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Supplier;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Loads handlers from plugin jars: each {@code *.jar} in a directory gets a class loader of its own
 * (so an error names its jar), and its {@link ChimePlugin}s are found with {@link ServiceLoader}.
 * The loaders stay open for the life of the server.
 */
public final class Plugins {
  private static final String SERVICE = "META-INF/services/" + ChimePlugin.class.getName();

  private Plugins() {}

  /**
   * What the plugins directory gave.
   *
   * @param handlers the handlers by name, jars in name order
   * @param classes finds a class in the server's class path first, then in each jar in name order:
   *     the loader for the class names in job definitions ({@code retry_on}, {@code abort_on}), so
   *     a job can name an exception type of its plugin
   */
  public record Loaded(Map<String, JobHandler> handlers, ClassLoader classes) {}

  /**
   * The handlers of every jar in the directory, by name, jars in name order; fails with a {@link
   * PluginException} naming the jar for a jar that cannot be read, declares no plugin, whose plugin
   * cannot be made, or that gives a name already taken (by a built-in kind or another plugin).
   */
  public static Loaded load(Path dir) {
    Map<String, JobHandler> handlers = new LinkedHashMap<>();
    List<ClassLoader> loaders = new ArrayList<>();
    for (Path jar : jars(dir)) {
      URLClassLoader loader = loader(jar);
      loaders.add(loader);
      loadJar(jar, loader).forEach((name, handler) -> add(handlers, jar, name, handler));
    }
    return new Loaded(handlers, new JarClasses(List.copyOf(loaders)));
  }

  /**
   * The {@link Loaded#classes} of the directory's jars without making their plugins (for the CLI,
   * which reads job files but runs no handler); fails as {@link #load} does for a jar that cannot
   * be read or declares no plugin.
   */
  public static ClassLoader classes(Path dir) {
    List<ClassLoader> loaders = new ArrayList<>();
    for (Path jar : jars(dir)) {
      loaders.add(loader(jar));
    }
    return new JarClasses(List.copyOf(loaders));
  }

  /**
   * Runs the action with {@code classes} (when not null) as this thread's context class loader, the
   * one the job parser and the store's codec look up class names in; threads the action starts
   * inherit it.
   */
  public static <T> T withClasses(ClassLoader classes, Supplier<T> action) {
    if (classes == null) {
      return action.get();
    }
    Thread thread = Thread.currentThread();
    ClassLoader before = thread.getContextClassLoader();
    thread.setContextClassLoader(classes);
    try {
      return action.get();
    } finally {
      thread.setContextClassLoader(before);
    }
  }

  /**
   * The server's class path, then the jars' own classes in order (each jar's loader is
   * parent-first).
   */
  private static final class JarClasses extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final List<ClassLoader> jars;

    JarClasses(List<ClassLoader> jars) {
      super("chime-plugins", Plugins.class.getClassLoader());
      this.jars = jars;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      for (ClassLoader jar : jars) {
        try {
          return jar.loadClass(name);
        } catch (ClassNotFoundException e) {
          // not in this jar: the next one
        }
      }
      throw new ClassNotFoundException(name);
    }
  }

  private static List<Path> jars(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new PluginException("plugins: " + dir + " is not a directory", null);
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new PluginException("plugins: cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private static URLClassLoader loader(Path jar) {
    checkJar(jar);
    return new URLClassLoader(new URL[] {url(jar)}, Plugins.class.getClassLoader());
  }

  private static Map<String, JobHandler> loadJar(Path jar, URLClassLoader loader) {
    List<ChimePlugin> plugins;
    try {
      plugins =
          ServiceLoader.load(ChimePlugin.class, loader).stream()
              .filter(provider -> provider.type().getClassLoader() == loader)
              .map(ServiceLoader.Provider::get)
              .toList();
    } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
      throw new PluginException("plugin " + jar + ": " + e.getMessage(), e);
    }
    Map<String, JobHandler> handlers = new LinkedHashMap<>();
    for (ChimePlugin plugin : plugins) {
      Map<String, JobHandler> given;
      try {
        given = plugin.handlers();
      } catch (RuntimeException | LinkageError e) {
        throw new PluginException(
            "plugin " + jar + ": " + plugin.getClass().getName() + ".handlers() failed: " + e, e);
      }
      if (given == null) {
        throw new PluginException("plugin " + jar + ": handlers() returned null", null);
      }
      given.forEach((name, handler) -> add(handlers, jar, name, handler));
    }
    return handlers;
  }

  private static void checkJar(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      if (file.getEntry(SERVICE) == null) {
        throw new PluginException(
            "plugin " + jar + ": declares no plugin (it has no " + SERVICE + ")", null);
      }
    } catch (IOException e) {
      throw new PluginException("plugin " + jar + ": not a readable jar: " + e.getMessage(), e);
    }
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new PluginException("plugin " + jar + ": " + e.getMessage(), e);
    }
  }

  private static void add(Map<String, JobHandler> into, Path jar, String name, JobHandler handler) {
    String where = "plugin " + jar + ": handler '" + name + "'";
    if (name == null || name.isBlank() || handler == null) {
      throw new PluginException(where + ": a handler needs a name and code", null);
    }
    if (JobKinds.NAMES.contains(name)) {
      throw new PluginException(where + " clashes with the built-in kind", null);
    }
    if (into.putIfAbsent(name, handler) != null) {
      throw new PluginException(where + " is given twice", null);
    }
  }
}
