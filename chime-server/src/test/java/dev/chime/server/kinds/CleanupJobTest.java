package dev.chime.server.kinds;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chime.Job;
import dev.chime.JobId;
import dev.chime.Run;
import dev.chime.RunState;
import dev.chime.Trigger;
import dev.chime.testkit.FakeClock;
import dev.chime.testkit.ManualScheduler;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanupJobTest {
  private static final AtomicInteger IDS = new AtomicInteger();
  private final FakeClock clock = FakeClock.at("2026-12-01T12:00:00Z");
  private ManualScheduler scheduler;
  @TempDir Path temp;
  private Path dir;
  private Path outside;

  @BeforeEach
  void setUp() throws IOException {
    scheduler = ManualScheduler.builder(clock).build();
    JobKinds.registerAll(scheduler, clock);
    dir = Files.createDirectory(temp.resolve("dir"));
    outside = Files.createDirectory(temp.resolve("outside"));
  }

  @AfterEach
  void tearDown() {
    scheduler.close();
  }

  /** A file of the size, last modified the given time before the clock's now. */
  private Path file(Path in, String name, int bytes, Duration age) throws IOException {
    Path file = in.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[bytes]);
    Files.setLastModifiedTime(file, FileTime.from(clock.instant().minus(age)));
    return file;
  }

  private Run clean(Map<String, ?> params) {
    JobId id =
        scheduler.schedule(
            Job.builder("cleanup-" + IDS.incrementAndGet())
                .handler(JobKinds.CLEANUP)
                .params(params)
                .trigger(Trigger.once(clock.instant()))
                .build());
    scheduler.runDue();
    return scheduler.runs(id, 1).get(0);
  }

  private Map<String, Object> params(Object... pairs) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("path", dir.toString());
    for (int i = 0; i < pairs.length; i += 2) {
      params.put((String) pairs[i], pairs[i + 1]);
    }
    return params;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> report(Run run) {
    return (Map<String, Object>) run.result();
  }

  @SuppressWarnings("unchecked")
  private static List<String> files(Run run, String list) {
    return ((List<Map<String, Object>>) report(run).get(list))
        .stream().map(e -> (String) e.get("file")).toList();
  }

  private static Duration days(int n) {
    return Duration.ofDays(n);
  }

  @Test
  void deletesFilesOlderThanTheAgeByTheClockAndNothingElse() throws IOException {
    file(dir, "old.tmp", 100, days(10));
    Path fresh = file(dir, "fresh.tmp", 50, days(1));
    Path log = file(dir, "old.log", 10, days(30));
    Path nested = file(dir, "sub/old.tmp", 10, days(30));

    Run run = clean(params("glob", "*.tmp", "older_than", "P7D"));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(dir.resolve("old.tmp")).doesNotExist();
    assertThat(fresh).exists();
    assertThat(log).exists();
    assertThat(nested).exists(); // a glob without / or ** looks only at the top
    assertThat(report(run))
        .containsEntry("deleted_count", 1)
        .containsEntry("bytes_freed", 100L)
        .containsEntry("kept_count", 1)
        .containsEntry("dry_run", false);
    assertThat(files(run, "deleted")).containsExactly("old.tmp");
    assertThat(run.log()).contains("deleted 1 files (100 bytes), kept 1 in " + dir.toRealPath());

    clock.advance(days(7));
    assertThat(files(clean(params("glob", "*.tmp", "older_than", "P7D")), "deleted"))
        .containsExactly("fresh.tmp");
    assertThat(fresh).doesNotExist();
    assertThat(dir).isDirectory();
  }

  @Test
  void neverFollowsSymlinksOutOfItsDirectory() throws IOException {
    Path secret = file(outside, "secret.tmp", 10, days(100));
    Path deep = file(outside, "deep/old.tmp", 10, days(100));
    Files.createSymbolicLink(dir.resolve("link.tmp"), secret);
    Files.createSymbolicLink(dir.resolve("linked-dir"), outside);
    Files.createSymbolicLink(dir.resolve("sub-link.tmp"), outside.resolve("deep"));
    Path mine = file(dir, "mine/old.tmp", 10, days(100));

    Run run = clean(params("glob", "**.tmp", "older_than", "P1D"));

    assertThat(run.state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(mine).doesNotExist();
    assertThat(mine.getParent()).isDirectory();
    assertThat(secret).exists();
    assertThat(deep).exists();
    assertThat(dir.resolve("link.tmp")).isSymbolicLink();
    assertThat(dir.resolve("sub-link.tmp")).isSymbolicLink();
    assertThat(files(run, "deleted")).containsExactly("mine/old.tmp");
    assertThat(files(run, "kept")).containsExactlyInAnyOrder("link.tmp", "sub-link.tmp");
  }

  @Test
  void neverDeletesDirectories() throws IOException {
    Path subdir = Files.createDirectory(dir.resolve("old.tmp"));
    Files.setLastModifiedTime(subdir, FileTime.from(clock.instant().minus(days(100))));

    Run run = clean(params("glob", "*.tmp", "older_than", "P1D"));

    assertThat(subdir).isDirectory();
    assertThat(report(run)).containsEntry("deleted_count", 0);
  }

  @Test
  void keepsTheNewestFiles() throws IOException {
    for (int i = 1; i <= 5; i++) {
      file(dir, "backup-" + i + ".sql", 10, days(10 - i));
    }

    Run run = clean(params("keep_last", 2));

    assertThat(files(run, "deleted"))
        .containsExactlyInAnyOrder("backup-1.sql", "backup-2.sql", "backup-3.sql");
    assertThat(files(run, "kept")).containsExactly("backup-5.sql", "backup-4.sql");
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList())
        .containsExactly("backup-4.sql", "backup-5.sql");
  }

  @Test
  void keepLastProtectsFilesOlderThanTheAge() throws IOException {
    file(dir, "a.log", 10, days(30));
    file(dir, "b.log", 10, days(20));
    file(dir, "c.log", 10, days(10));

    Run run = clean(params("older_than", "P7D", "keep_last", 1));

    assertThat(files(run, "deleted")).containsExactlyInAnyOrder("a.log", "b.log");
    assertThat(files(run, "kept")).containsExactly("c.log");
  }

  @Test
  void deletesTheOldestUntilTheTotalFits() throws IOException {
    for (int i = 1; i <= 5; i++) {
      file(dir, "f" + i, 100, Duration.ofHours(10 - i));
    }

    Run run = clean(params("max_total", 250));

    assertThat(files(run, "deleted")).containsExactly("f1", "f2", "f3");
    assertThat(report(run)).containsEntry("kept_bytes", 200L).containsEntry("bytes_freed", 300L);
  }

  @Test
  void keepLastWinsOverMaxTotalAndTheReportSaysSo() throws IOException {
    for (int i = 1; i <= 5; i++) {
      file(dir, "f" + i, 100, Duration.ofHours(10 - i));
    }

    Run run = clean(params("max_total", "250B", "keep_last", 3));

    assertThat(files(run, "deleted")).containsExactly("f1", "f2");
    assertThat(report(run).get("notes").toString())
        .contains("max_total 250 not reached: the newest 3 files (keep_last) hold 300 bytes");
  }

  @Test
  void aDryRunReportsWithoutDeleting() throws IOException {
    Path old = file(dir, "old.tmp", 100, days(10));

    Run run = clean(params("older_than", "P7D", "dry_run", true));

    assertThat(old).exists();
    assertThat(files(run, "deleted")).containsExactly("old.tmp");
    assertThat(report(run)).containsEntry("dry_run", true).containsEntry("bytes_freed", 100L);
    assertThat(run.log()).contains("dry run: would delete 1 files (100 bytes)");
  }

  @Test
  void capsTheReportsListsButCountsEverything() throws IOException {
    for (int i = 0; i < CleanupJob.REPORT_LIMIT + 30; i++) {
      file(dir, "f" + i, 1, days(2));
    }

    Run run = clean(params("keep_last", 0));

    assertThat(report(run)).containsEntry("deleted_count", CleanupJob.REPORT_LIMIT + 30);
    assertThat(files(run, "deleted")).hasSize(CleanupJob.REPORT_LIMIT);
    assertThat(Files.list(dir)).isEmpty();
  }

  @Test
  void refusesTheRootAndPathsThatAreNotAbsoluteDirectories() throws IOException {
    Path rootLink = Files.createSymbolicLink(temp.resolve("root-link"), Path.of("/"));
    Path aFile = file(temp, "plain", 1, days(1));

    assertThat(clean(Map.of("path", "/", "older_than", "P1D")).error())
        .isEqualTo("invalid cleanup params: path: must not be the root directory");
    assertThat(clean(Map.of("path", "/tmp/..", "older_than", "P1D")).error())
        .isEqualTo("invalid cleanup params: path: must not be the root directory");
    assertThat(clean(Map.of("path", "tmp", "older_than", "P1D")).error())
        .isEqualTo("invalid cleanup params: path: must be an absolute path, was 'tmp'");
    assertThat(clean(Map.of("path", rootLink.toString(), "older_than", "P1D")).error())
        .isEqualTo(
            "path: "
                + rootLink
                + " is a symbolic link now (to /): a cleanup job never follows symlinks; refusing"
                + " to run, nothing deleted");
    assertThat(clean(Map.of("path", aFile.toString(), "older_than", "P1D")).error())
        .isEqualTo("path: " + aFile + " is not an existing directory");
    assertThat(clean(Map.of("path", temp.resolve("none").toString(), "keep_last", 1)).error())
        .isEqualTo("path: " + temp.resolve("none") + " is not an existing directory");
  }

  /** A job is not made with a path that is, or goes through, a symlink: it must be real. */
  @Test
  void aLinkedDirectoryIsRefusedWhenTheJobIsMade() throws IOException {
    Path link = Files.createSymbolicLink(temp.resolve("dir-link"), dir);
    String never = "a cleanup job never follows symlinks; give the real directory";

    assertThat(JobKinds.validate(JobKinds.CLEANUP, Map.of("path", link.toString(), "keep_last", 1)))
        .containsExactly("path: is a symbolic link to " + dir + ": " + never);
    for (Path under : new Path[] {link.resolve("sub"), link.resolve("not/yet")}) {
      Files.createDirectories(dir.resolve("sub"));
      assertThat(
              JobKinds.validate(JobKinds.CLEANUP, Map.of("path", under.toString(), "keep_last", 1)))
          .containsExactly(
              "path: goes through " + link + ", a symbolic link to " + dir + ": " + never);
    }
    assertThat(JobKinds.validate(JobKinds.CLEANUP, Map.of("path", dir.toString(), "keep_last", 1)))
        .isEmpty();
    assertThat(
            JobKinds.validate(
                JobKinds.CLEANUP,
                Map.of("path", dir.resolve("not/yet").toString(), "keep_last", 1)))
        .isEmpty();
  }

  /** One made before a symlink took its directory's place refuses to run, touching nothing. */
  @Test
  void aDirectoryLaterSwappedForASymlinkIsNotFollowed() throws IOException {
    Path victim = file(outside, "victim", 1, days(9));
    Map<String, Object> params = params("older_than", "P1D");
    assertThat(JobKinds.validate(JobKinds.CLEANUP, params)).isEmpty();
    Files.move(dir, temp.resolve("moved-away"));
    Files.createSymbolicLink(dir, outside);

    Run run = clean(params);

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error())
        .isEqualTo(
            "path: "
                + dir
                + " is a symbolic link now (to "
                + outside
                + "): a cleanup job never follows symlinks; refusing to run, nothing deleted");
    assertThat(victim).exists();
  }

  /** As when a directory on the way to it is swapped for a symlink: it leads elsewhere now. */
  @Test
  void aDirectoryOnTheWayLaterSwappedForASymlinkIsNotFollowed() throws IOException {
    Path parent = Files.createDirectory(temp.resolve("parent"));
    Path registered = Files.createDirectory(parent.resolve("outside"));
    Path victim = file(outside, "victim", 1, days(9));
    Files.move(parent, temp.resolve("parent-moved-away"));
    Files.createSymbolicLink(parent, temp);

    Run run = clean(Map.of("path", registered.toString(), "older_than", "P1D"));

    assertThat(run.state()).isEqualTo(RunState.FAILED);
    assertThat(run.error())
        .isEqualTo(
            "path: "
                + registered
                + " resolves to "
                + outside
                + " now (a directory on the way is a symbolic link): a cleanup job never follows"
                + " symlinks; refusing to run, nothing deleted");
    assertThat(victim).exists();
  }

  @Test
  void aDirectorySwappedForASymlinkAfterTheScanDoesNotLeadOut() throws IOException {
    file(dir, "sub/victim.tmp", 10, days(9));
    Path target = file(outside, "victim.tmp", 10, days(9));
    Files.move(dir.resolve("sub"), temp.resolve("moved-away"));
    Files.createSymbolicLink(dir.resolve("sub"), outside);
    Files.createSymbolicLink(dir.resolve("swapped.tmp"), target);

    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      assertThat(stream).isInstanceOf(SecureDirectoryStream.class);
      SecureDirectoryStream<Path> secure = (SecureDirectoryStream<Path>) stream;
      assertThat(CleanupJob.deleteIn(secure, Path.of("sub/victim.tmp"), null)).isFalse();
      assertThat(CleanupJob.deleteIn(secure, Path.of("swapped.tmp"), null)).isFalse();
    }
    assertThat(CleanupJob.deleteByPath(dir.resolve("sub/victim.tmp"), null)).isFalse();
    assertThat(CleanupJob.deleteByPath(dir.resolve("swapped.tmp"), null)).isFalse();

    assertThat(target).exists();
    assertThat(dir.resolve("swapped.tmp")).isSymbolicLink();
  }

  @Test
  void aRootSwappedAfterTheScanIsRefused() throws IOException {
    Object scanned =
        Files.readAttributes(dir, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    try (DirectoryStream<Path> same = CleanupJob.openRoot(dir, scanned)) {
      assertThat(same).isNotNull();
    }

    Files.move(dir, temp.resolve("moved-away"));
    Files.createSymbolicLink(dir, outside);
    assertThat(CleanupJob.openRoot(dir, scanned)).isNull();

    Files.delete(dir);
    Files.createDirectory(dir);
    assertThat(CleanupJob.openRoot(dir, scanned)).isNull();
  }

  @Test
  void deletesInSubdirectoriesThroughDirectoryHandlesAndByPath() throws IOException {
    Path a = file(dir, "x/y/a.tmp", 1, days(9));
    Path b = file(dir, "x/b.tmp", 1, days(9));

    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      assertThat(
              CleanupJob.deleteIn((SecureDirectoryStream<Path>) stream, Path.of("x/y/a.tmp"), null))
          .isTrue();
    }
    assertThat(CleanupJob.deleteByPath(b, null)).isTrue();

    assertThat(a).doesNotExist();
    assertThat(b).doesNotExist();
    assertThat(dir.resolve("x/y")).isDirectory();
  }

  /** A file replaced under the same name since the scan (a rotated log) is kept, by either way. */
  @Test
  void aFileChangedSinceTheScanIsNotDeleted() throws IOException {
    Path a = file(dir, "a.tmp", 1, days(9));
    java.time.Instant scanned = Files.getLastModifiedTime(a).toInstant().minusSeconds(60);
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
      assertThat(
              CleanupJob.deleteIn((SecureDirectoryStream<Path>) stream, Path.of("a.tmp"), scanned))
          .isFalse();
    }
    assertThat(CleanupJob.deleteByPath(a, scanned)).isFalse();
    assertThat(a).exists();
    assertThat(CleanupJob.deleteByPath(a, Files.getLastModifiedTime(a).toInstant())).isTrue();
  }

  @Test
  void validatesEachField() {
    assertThat(JobKinds.validate(JobKinds.CLEANUP, Map.of("path", "/var/tmp/app", "keep_last", 3)))
        .isEmpty();
    assertThat(
            JobKinds.validate(
                JobKinds.CLEANUP,
                Map.of("path", "/var/tmp/app", "glob", "/var/tmp/app/*.tmp", "keep_last", 3)))
        .containsExactly(
            "glob: is matched relative to path, so it must not start with / or ..; was"
                + " '/var/tmp/app/*.tmp'");
    assertThat(JobKinds.validate(JobKinds.CLEANUP, Map.of()))
        .containsExactly(
            "path: is required",
            "older_than: cleanup needs at least one of older_than, keep_last, max_total");
    assertThat(
            JobKinds.validate(
                JobKinds.CLEANUP,
                Map.of(
                    "path", "/var/tmp",
                    "glob", "[a-",
                    "older_than", "PT0S",
                    "keep_last", -1,
                    "max_total", "lots",
                    "dry_run", "no")))
        .containsExactlyInAnyOrder(
            "glob: is not a valid glob: Missing '] in '[a-'",
            "older_than: must be positive, was PT0S",
            "keep_last: must be 0-2147483647, was -1",
            "max_total: 'lots' is not a size: use bytes or a unit, like 64KB, 500MB or 2GiB",
            "dry_run: must be true or false, was 'no'");
    assertThat(
            JobKinds.validate(JobKinds.CLEANUP, Map.of("path", "/x", "max_total", 5_000_000_000L)))
        .isEmpty();
  }
}
