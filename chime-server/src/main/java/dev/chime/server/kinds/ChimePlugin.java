package dev.chime.server.kinds;

import dev.chime.JobHandler;
import java.util.Map;

/**
 * A jar in the server's plugin directory adds handlers by implementing this (with a public
 * no-argument constructor) and naming the class in {@code
 * META-INF/services/dev.chime.server.kinds.ChimePlugin}. Jobs then refer to the handlers by name.
 */
public interface ChimePlugin {
  /** The handlers, by the names jobs use; a name must not be a built-in kind. */
  Map<String, JobHandler> handlers();
}
