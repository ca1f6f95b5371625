package dev.chime.server.kinds;

import dev.chime.JobContext;
import dev.chime.JobFailedException;
import dev.chime.JobHandler;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code cleanup} kind, the housekeeper: deletes the regular files under {@code path} that
 * match {@code glob} and the rules say should go; see the package note for its safety rules.
 */
final class CleanupJob implements JobHandler {
  static final String DEFAULT_GLOB = "*";

  /** How many files each list of the report names (the counts cover them all). */
  static final int REPORT_LIMIT = 100;

  private static final Set<String> FIELDS =
      Set.of("path", "glob", "older_than", "keep_last", "max_total", "dry_run");

  private final Clock clock;

  CleanupJob(Clock clock) {
    this.clock = clock;
  }

  /** The params, checked. */
  record Spec(
      Path path,
      String glob,
      Duration olderThan,
      Integer keepLast,
      Long maxTotal,
      boolean dryRun) {}

  /** A file the rules look at. */
  private record Candidate(Path relative, Instant modified, long bytes) {}

  /**
   * What is wrong with the params; also, when the job is made, a {@code path} that is a symlink or
   * goes through one (a run refuses those, so a job is never made with one).
   */
  static List<String> validate(Map<String, Object> params) {
    Params p = new Params(params, FIELDS);
    Spec spec = read(p);
    if (spec.path() != null) {
      noSymlinkOnTheWay(spec.path(), p);
    }
    return p.errors();
  }

  private static final String NEVER_FOLLOWS = "a cleanup job never follows symlinks";

  /**
   * Refuses a path whose nearest existing part (the path itself, or the parent it will be made in)
   * is a symlink or resolves elsewhere: a run works only in a directory that is its own real path,
   * so the path must be given as one. One that cannot be read yet is left to the run.
   */
  private static void noSymlinkOnTheWay(Path path, Params p) {
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    try {
      Path link = existing == null ? null : firstLink(existing);
      if (link != null) {
        p.error(
            "path",
            (link.equals(path) ? "is" : "goes through " + link + ",")
                + " a symbolic link to "
                + Files.readSymbolicLink(link)
                + ": "
                + NEVER_FOLLOWS
                + "; give the real directory");
      }
    } catch (IOException e) {
      // unreadable now: the run checks again, and says why
    }
  }

  /** The first part of the existing path, from the top, that is a symlink; null if none is. */
  private static Path firstLink(Path existing) throws IOException {
    if (existing.toRealPath().equals(existing)) {
      return null;
    }
    Path at = existing.getRoot();
    for (Path name : existing) {
      at = at.resolve(name);
      if (Files.isSymbolicLink(at)) {
        return at;
      }
    }
    return null;
  }

  private static Spec read(Params p) {
    Path path = path(p);
    String glob = p.string("glob");
    if (glob != null && (glob.startsWith("/") || glob.equals("..") || glob.startsWith("../"))) {
      // matched against paths relative to path: it could never match, and the run would succeed
      // having looked at nothing
      p.error(
          "glob",
          "is matched relative to path, so it must not start with / or ..; was '" + glob + "'");
    } else if (glob != null) {
      try {
        FileSystems.getDefault().getPathMatcher("glob:" + glob);
      } catch (PatternSyntaxException e) {
        p.error("glob", "is not a valid glob: " + e.getDescription() + " in '" + glob + "'");
      }
    }
    Duration olderThan = p.duration("older_than");
    Long keepLast = p.integer("keep_last", 0, Integer.MAX_VALUE);
    Long maxTotal = p.size("max_total", 0, Long.MAX_VALUE);
    if (!p.has("older_than") && !p.has("keep_last") && !p.has("max_total")) {
      p.error("older_than", "cleanup needs at least one of older_than, keep_last, max_total");
    }
    return new Spec(
        path,
        glob == null ? DEFAULT_GLOB : glob,
        olderThan,
        keepLast == null ? null : keepLast.intValue(),
        maxTotal,
        p.bool("dry_run"));
  }

  private static Path path(Params p) {
    Path path = p.absolutePath("path");
    if (path != null && path.getParent() == null) {
      p.error("path", "must not be the root directory");
      return null;
    }
    if (path == null && !p.has("path")) {
      p.error("path", "is required");
    }
    return path;
  }

  @Override
  public void run(JobContext ctx) throws Exception {
    Params p = new Params(ctx.params(), FIELDS);
    Spec spec = read(p);
    p.check(JobKinds.CLEANUP);
    Path root = spec.path();
    Object rootKey = directoryKey(root);
    Report report = new Report(root, spec.dryRun());
    List<Candidate> files = scan(root, rootKey, spec, report, ctx);
    decide(files, spec, report);
    if (!spec.dryRun()) {
      delete(root, rootKey, report, ctx);
    }
    ctx.result(report.toMap());
    ctx.log(report.summary());
    if (report.stopped) {
      throw new JobFailedException("stopped: " + report.summary());
    }
    if (!report.errors.isEmpty()) {
      throw new JobFailedException(
          report.errors.size() + " files could not be handled; first: " + report.errors.get(0));
    }
  }

  /**
   * The identity (device and inode on Linux) of the directory, read without following, if it is
   * still what the job was made with: a directory, not a symlink, and its own real path (a job is
   * made only with such a path). A path that became a symlink, or that a directory on the way
   * swapped for a symlink now leads elsewhere, is refused: the run fails saying so, and touches
   * nothing. The scan and the deletes open only the directory with this identity.
   */
  private static Object directoryKey(Path path) throws JobFailedException {
    String refusing = NEVER_FOLLOWS + "; refusing to run, nothing deleted";
    try {
      BasicFileAttributes attrs =
          Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attrs.isSymbolicLink()) {
        throw new JobFailedException(
            "path: "
                + path
                + " is a symbolic link now (to "
                + Files.readSymbolicLink(path)
                + "): "
                + refusing);
      }
      if (!attrs.isDirectory()) {
        throw new JobFailedException("path: " + path + " is not an existing directory");
      }
      Path real = path.toRealPath();
      if (!real.equals(path)) {
        throw new JobFailedException(
            "path: "
                + path
                + " resolves to "
                + real
                + " now (a directory on the way is a symbolic link): "
                + refusing);
      }
      return attrs.fileKey();
    } catch (java.nio.file.NoSuchFileException e) {
      throw new JobFailedException("path: " + path + " is not an existing directory");
    } catch (IOException e) {
      throw new JobFailedException("path: cannot resolve " + path + ": " + e.getMessage());
    }
  }

  /**
   * Opens the root for the deletes: relative to its parent and without following a link where the
   * file system offers directory handles, and only if it is still the directory that was scanned
   * (same file key), so a root moved away and replaced by a symlink or another directory between
   * the scan and the deletes is refused. Returns null when it was replaced.
   */
  static DirectoryStream<Path> openRoot(Path root, Object scannedKey) throws IOException {
    try (DirectoryStream<Path> parent = Files.newDirectoryStream(root.getParent())) {
      DirectoryStream<Path> dir;
      Object key;
      if (parent instanceof SecureDirectoryStream<Path> secure) {
        try {
          dir = secure.newDirectoryStream(root.getFileName(), LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
          return null; // a symlink, or nothing, where the scanned directory was
        }
        key =
            ((SecureDirectoryStream<Path>) dir)
                .getFileAttributeView(BasicFileAttributeView.class)
                .readAttributes()
                .fileKey();
      } else {
        BasicFileAttributes attrs =
            Files.readAttributes(root, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attrs.isDirectory()) {
          return null;
        }
        dir = Files.newDirectoryStream(root);
        key = attrs.fileKey();
      }
      if (scannedKey != null && !scannedKey.equals(key)) {
        dir.close();
        return null;
      }
      return dir;
    }
  }

  /**
   * The regular files under the root that match the glob; symlinks are noted, never followed. Where
   * the file system offers directory handles, each directory is opened relative to its parent
   * without following a link, as the deletes are: a directory swapped for a symlink during the scan
   * is not entered (a path walk would list what the link points at, outside the root).
   */
  private static List<Candidate> scan(
      Path root, Object rootKey, Spec spec, Report report, JobContext ctx)
      throws JobFailedException {
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + spec.glob());
    boolean recursive = spec.glob().contains("/") || spec.glob().contains("**");
    List<Candidate> files = new ArrayList<>();
    try (DirectoryStream<Path> top = openRoot(root, rootKey)) {
      if (top == null) {
        throw new JobFailedException(
            "path: " + root + " was replaced as it was opened; nothing scanned");
      }
      if (top instanceof SecureDirectoryStream<Path> secure) {
        scanIn(secure, Path.of(""), recursive, matcher, files, report, ctx);
        return newestFirst(files);
      }
    } catch (IOException e) {
      throw new JobFailedException("path: cannot list " + root + ": " + e.getMessage());
    }
    try {
      Files.walkFileTree(
          root,
          EnumSet.noneOf(java.nio.file.FileVisitOption.class),
          recursive ? Integer.MAX_VALUE : 1,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (ctx.isCancelled()) {
                report.stopped = true;
                return FileVisitResult.TERMINATE;
              }
              Path relative = root.relativize(file);
              if (!matcher.matches(relative)) {
                return FileVisitResult.CONTINUE;
              }
              if (attrs.isSymbolicLink()) {
                report.keep(relative, -1, "symlink: not followed, not deleted");
              } else if (attrs.isRegularFile()) {
                files.add(
                    new Candidate(relative, attrs.lastModifiedTime().toInstant(), attrs.size()));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              report.errors.add(root.relativize(file) + ": " + e.getMessage());
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new JobFailedException("path: cannot list " + root + ": " + e.getMessage());
    }
    return newestFirst(files);
  }

  private static List<Candidate> newestFirst(List<Candidate> files) {
    files.sort(
        Comparator.comparing(Candidate::modified)
            .reversed()
            .thenComparing(c -> c.relative().toString()));
    return files;
  }

  /** Scans one directory, open as a handle, and (recursive) the directories in it, by handle. */
  private static void scanIn(
      SecureDirectoryStream<Path> dir,
      Path at,
      boolean recursive,
      PathMatcher matcher,
      List<Candidate> files,
      Report report,
      JobContext ctx) {
    for (Path entry : dir) {
      if (ctx.isCancelled()) {
        report.stopped = true;
        return;
      }
      Path name = entry.getFileName();
      Path relative = at.resolve(name);
      BasicFileAttributes attrs;
      try {
        attrs =
            dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .readAttributes();
      } catch (IOException e) {
        continue; // gone since it was listed
      }
      if (attrs.isDirectory()) {
        if (recursive) {
          try (SecureDirectoryStream<Path> sub =
              dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS)) {
            scanIn(sub, relative, true, matcher, files, report, ctx);
          } catch (IOException e) {
            report.notes.add(relative + ": changed during the scan (not entered)");
          }
        }
      } else if (matcher.matches(relative)) {
        if (attrs.isSymbolicLink()) {
          report.keep(relative, -1, "symlink: not followed, not deleted");
        } else if (attrs.isRegularFile()) {
          files.add(new Candidate(relative, attrs.lastModifiedTime().toInstant(), attrs.size()));
        }
      }
      if (report.stopped) {
        return;
      }
    }
  }

  /** Splits the files, newest first, into kept and to delete, with a reason for each. */
  private void decide(List<Candidate> newestFirst, Spec spec, Report report) {
    int protect = spec.keepLast() == null ? 0 : spec.keepLast();
    Instant cutoff = spec.olderThan() == null ? null : clock.instant().minus(spec.olderThan());
    List<Candidate> kept = new ArrayList<>();
    List<String> why = new ArrayList<>();
    for (int i = 0; i < newestFirst.size(); i++) {
      Candidate file = newestFirst.get(i);
      if (i < protect) {
        kept.add(file);
        why.add("keep_last: one of the newest " + protect);
      } else if (cutoff != null) {
        if (file.modified().isBefore(cutoff)) {
          report.delete(file, "older than " + spec.olderThan());
        } else {
          kept.add(file);
          why.add("newer than older_than " + spec.olderThan());
        }
      } else if (spec.maxTotal() == null) {
        report.delete(file, "beyond keep_last " + protect);
      } else {
        kept.add(file);
        why.add("within max_total " + spec.maxTotal());
      }
    }
    trimToTotal(kept, why, protect, spec, report);
    for (int i = 0; i < kept.size(); i++) {
      report.keep(kept.get(i).relative(), kept.get(i).bytes(), why.get(i));
    }
  }

  /** Deletes the oldest kept files beyond keep_last until the kept total fits max_total. */
  private static void trimToTotal(
      List<Candidate> kept, List<String> why, int protect, Spec spec, Report report) {
    if (spec.maxTotal() == null) {
      return;
    }
    long total = kept.stream().mapToLong(Candidate::bytes).sum();
    int oldest = kept.size() - 1;
    while (total > spec.maxTotal() && oldest >= Math.min(protect, kept.size())) {
      Candidate file = kept.remove(oldest);
      why.remove(oldest);
      total -= file.bytes();
      report.delete(file, "over max_total " + spec.maxTotal());
      oldest--;
    }
    if (total > spec.maxTotal()) {
      report.notes.add(
          "max_total "
              + spec.maxTotal()
              + " not reached: the newest "
              + protect
              + " files (keep_last) hold "
              + total
              + " bytes");
    }
  }

  /**
   * Deletes what the report says, checking each file again first: still a regular file (not
   * replaced by a symlink since the scan), reached without following a symlink. Where the file
   * system offers directory handles ({@link SecureDirectoryStream}, as on Linux), each directory on
   * the way is opened relative to its parent with no-follow and the file is deleted relative to its
   * directory, so a directory swapped for a symlink after the scan cannot lead out; elsewhere the
   * directory's real path is compared just before the delete.
   */
  private static void delete(Path root, Object rootKey, Report report, JobContext ctx) {
    List<Map<String, Object>> done = new ArrayList<>();
    try (DirectoryStream<Path> top = openRoot(root, rootKey)) {
      if (top == null) {
        report.errors.add(root + ": replaced since the scan; nothing deleted");
        report.toDelete.clear();
        return;
      }
      for (Map<String, Object> entry : report.toDelete) {
        if (ctx.isCancelled()) {
          report.stopped = true;
          break;
        }
        Path relative = Path.of((String) entry.get("file"));
        Instant scanned = report.modified.get(relative);
        try {
          boolean deleted =
              top instanceof SecureDirectoryStream<Path> secure
                  ? deleteIn(secure, relative, scanned)
                  : deleteByPath(root.resolve(relative), scanned);
          if (deleted) {
            done.add(entry);
          } else {
            report.errors.add(
                relative + ": changed since the scan (not the regular file it found); kept");
          }
        } catch (IOException e) {
          report.errors.add(relative + ": " + e.getMessage());
        }
      }
    } catch (IOException e) {
      report.errors.add(root + ": cannot open: " + e.getMessage());
    }
    report.toDelete.retainAll(done);
  }

  /**
   * Deletes the file if it is still the regular file the scan saw: modified at {@code scanned}
   * (null: not checked), so a file replaced under the same name since (a rotated log) is kept.
   */
  static boolean deleteIn(SecureDirectoryStream<Path> top, Path relative, Instant scanned)
      throws IOException {
    List<SecureDirectoryStream<Path>> opened = new ArrayList<>();
    try {
      SecureDirectoryStream<Path> dir = top;
      for (int i = 0; i < relative.getNameCount() - 1; i++) {
        try {
          dir = dir.newDirectoryStream(relative.getName(i), LinkOption.NOFOLLOW_LINKS);
        } catch (FileSystemException e) {
          return false; // a symlink (or no directory) where the scan saw a directory
        }
        opened.add(dir);
      }
      Path name = relative.getFileName();
      BasicFileAttributes attrs =
          dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
              .readAttributes();
      if (!attrs.isRegularFile() || !unchanged(attrs, scanned)) {
        return false;
      }
      dir.deleteFile(name);
      return true;
    } finally {
      for (SecureDirectoryStream<Path> dir : opened.reversed()) {
        dir.close();
      }
    }
  }

  static boolean deleteByPath(Path file, Instant scanned) throws IOException {
    BasicFileAttributes attrs =
        Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    if (!attrs.isRegularFile()
        || !unchanged(attrs, scanned)
        || !file.getParent().toRealPath().equals(file.getParent())) {
      return false;
    }
    Files.delete(file);
    return true;
  }

  private static boolean unchanged(BasicFileAttributes attrs, Instant scanned) {
    return scanned == null || attrs.lastModifiedTime().toInstant().equals(scanned);
  }

  /** What the run decided and did: the run's result. */
  private static final class Report {
    final Path root;
    final boolean dryRun;
    final List<Map<String, Object>> toDelete = new ArrayList<>();
    final List<Map<String, Object>> kept = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    final Map<Path, Instant> modified = new java.util.HashMap<>(); // of the files to delete
    long keptBytes;
    boolean stopped;

    Report(Path root, boolean dryRun) {
      this.root = root;
      this.dryRun = dryRun;
    }

    void delete(Candidate file, String why) {
      toDelete.add(entry(file.relative(), file.bytes(), why));
      modified.put(file.relative(), file.modified());
    }

    void keep(Path relative, long bytes, String why) {
      kept.add(entry(relative, bytes, why));
      keptBytes += Math.max(0, bytes);
    }

    private static Map<String, Object> entry(Path relative, long bytes, String why) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("file", relative.toString());
      if (bytes >= 0) {
        entry.put("bytes", bytes);
      }
      entry.put("why", why);
      return entry;
    }

    long freed() {
      return toDelete.stream().mapToLong(e -> (Long) e.get("bytes")).sum();
    }

    Map<String, Object> toMap() {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("path", root.toString());
      out.put("dry_run", dryRun);
      out.put("deleted_count", toDelete.size());
      out.put("bytes_freed", freed());
      out.put("deleted", capped(toDelete));
      out.put("kept_count", kept.size());
      out.put("kept_bytes", keptBytes);
      out.put("kept", capped(kept));
      out.put("error_count", errors.size());
      out.put("errors", capped(errors));
      out.put("notes", notes);
      return out;
    }

    String summary() {
      return (dryRun ? "dry run: would delete " : "deleted ")
          + toDelete.size()
          + " files ("
          + freed()
          + " bytes), kept "
          + kept.size()
          + " in "
          + root
          + (errors.isEmpty() ? "" : ", " + errors.size() + " errors")
          + (stopped ? ", stopped before the end" : "");
    }

    private static <T> List<T> capped(List<T> list) {
      return List.copyOf(list.subList(0, Math.min(list.size(), REPORT_LIMIT)));
    }
  }
}
