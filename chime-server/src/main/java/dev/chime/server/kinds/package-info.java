/**
 * The server's job kinds ({@code command}, {@code http}, {@code cleanup}) and handler plugins.
 *
 * <p><b>Params.</b> {@link dev.chime.server.kinds.JobKinds#validate} and the handlers read params
 * with the same code, so a job that was stored with bad params (or written straight into the
 * database) fails its run with the same field-named message the API would have given.
 *
 * <p><b>Command: output.</b> stdout and stderr are each read by a thread of their own as the
 * process writes, so a process that fills one pipe never stalls. Each line goes into the run's log
 * as it is read, stderr lines marked {@code [stderr] }, so the run shows its output while it runs;
 * the log itself keeps its newest 16 KiB. An {@code output_limit} below {@code
 * CommandJob.LIVE_LIMIT} (57,357 bytes) can keep less than the log, which takes no line back: then
 * the newest lines, at most {@code output_limit} bytes, are kept in memory and written into the log
 * when the process ends, however it ends (success, failure, timeout, cancel). The result holds the
 * exit code and the output's size. A background process the command leaves behind may hold the
 * pipes open; the run waits a second for the output to end, then does not wait for it, and what it
 * writes later is not logged.
 *
 * <p><b>Command: stopping.</b> A run that is stopped (a timeout or a cancel interrupts the handler
 * thread; the handler also polls {@code isCancelled()} every 100 ms, which is how a timeout by a
 * fake clock reaches it) kills the process tree: it lists the descendants while the root is alive
 * (an orphan can no longer be found from the root), sends TERM deepest first and the root last,
 * waits {@code ProcessTree.GRACE} (2 s), then sends KILL to what is left, including children forked
 * meanwhile, and waits for them to exit. A process that detaches itself ({@code setsid} and double
 * fork) before the stop escapes this, as it would escape a process-group kill.
 *
 * <p><b>Cleanup: safety rules.</b> The path must be absolute, not {@code /}, and its own real path:
 * a job whose path is a symlink or goes through one is refused when it is made (validation looks at
 * the nearest part of the path that exists). A run starts only in an existing directory that is
 * still not a symlink and still its own real path: one swapped for a symlink, or reached through a
 * directory on the way swapped for one, fails the run and nothing is touched (following it would
 * have cleaned wherever the link points). Symlinks are never followed: a symlink to a file is
 * neither followed nor deleted (it is reported as kept), a symlink to a directory is not descended.
 * Only regular files are deleted; directories, the root included, never are. Before each delete the
 * file is checked again: still a regular file, reached without following a symlink. Where the file
 * system offers directory handles ({@code SecureDirectoryStream}, as on Linux) every directory on
 * the way is opened relative to its parent with no-follow and the file is deleted relative to its
 * directory, so a directory swapped for a symlink after the scan cannot lead out; elsewhere the
 * directory's real path is compared just before the delete (a race of microseconds remains there).
 *
 * <p><b>Cleanup: which files.</b> The glob is matched against the path relative to the directory
 * ({@code *.tmp} matches files directly inside it). A glob without {@code /} or {@code **} looks
 * only at the directory's own entries; one with them walks the subdirectories ({@code **}{@code
 * /*.tmp} matches {@code .tmp} files at any depth below the top, {@code **.tmp} at any depth). The
 * rules, on matching regular files sorted newest first: the newest {@code keep_last} are always
 * kept; of the rest, those older than {@code older_than} (last-modified time against the injected
 * clock) go; then, while the kept files together exceed {@code max_total} bytes, the oldest kept
 * file beyond {@code keep_last} goes (so {@code keep_last} wins over {@code max_total}, and the
 * report says so). With {@code keep_last} alone, everything beyond the newest {@code keep_last}
 * goes; with another rule, {@code keep_last} only protects. At least one of the three rules is
 * required. {@code max_total} counts the matching files only. {@code dry_run} reports without
 * deleting.
 *
 * <p><b>Plugins.</b> One class loader per jar, so an error names its jar; a handler whose name is a
 * built-in kind, or that two plugins both give, is refused rather than shadowed.
 */
package dev.chime.server.kinds;
