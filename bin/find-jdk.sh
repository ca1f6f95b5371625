# Sourced by Chime's scripts: sets CHIME_JAVA_HOME to a JDK 21+ or explains what to install.
# Order: JAVA_HOME if it is 21+, then the newest JDK 21+ under /usr/lib/jvm.

chime_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 21), or nothing.
  local release="$1/release"
  [ -x "$1/bin/java" ] || return 0
  if [ -f "$release" ]; then
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
  else
    "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
  fi
}

chime_find_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(chime_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ -x "$JAVA_HOME/bin/javac" ]; then
      CHIME_JAVA_HOME="$JAVA_HOME"
      return 0
    fi
  fi
  for candidate in /usr/lib/jvm/*; do
    [ -d "$candidate" ] && [ ! -L "$candidate" ] || continue
    major=$(chime_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ] && [ -x "$candidate/bin/javac" ] && [ "$major" -gt "$best_major" ]; then
      best="$candidate"
      best_major="$major"
    fi
  done
  if [ -n "$best" ]; then
    CHIME_JAVA_HOME="$best"
    return 0
  fi
  echo "chime: no JDK 21 or newer found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm)." >&2
  echo "chime: install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, or point JAVA_HOME at it." >&2
  return 1
}
