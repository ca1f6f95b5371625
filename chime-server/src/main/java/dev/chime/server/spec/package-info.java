/**
 * Job files and job bodies: the contract's YAML/JSON form of a job, read into {@link dev.chime.Job}
 * and written back, with every error named by file, line and field.
 *
 * <p>Design notes:
 *
 * <ul>
 *   <li><b>Locations.</b> Jackson's tree model drops where a value was, so {@code Tree} walks the
 *       streaming parser (YAML or JSON) and keeps the line of every value; duplicate keys are
 *       caught there too. The reader then checks the whole document and collects every error before
 *       it throws ({@link dev.chime.server.spec.SpecException}, sorted by line), so a user fixes a
 *       file in one pass.
 *   <li><b>Normalised params.</b> The kinds' params are stored as their handlers read them:
 *       durations as ISO-8601 strings ({@code 7d} becomes {@code PT168H}), sizes as byte counts.
 *       {@link dev.chime.server.spec.JobSpecs#toSpec} writes that form back, so a job read from a
 *       file, stored and shown by the API reads back equal (a jqwik property checks it).
 *   <li><b>Zone.</b> A job without {@code zone} reads its cron, daily and weekly triggers and local
 *       date-times in UTC, never in the server's zone, so the same file means the same on every
 *       host.
 *   <li><b>Ownership.</b> {@link dev.chime.server.spec.Plan} changes and prunes only the jobs whose
 *       owner is the file ({@code file:ABSOLUTE_PATH}); listing a job another owner holds is an
 *       error rather than a silent take-over.
 *   <li><b>Event and file triggers.</b> {@code event: NAME} and {@code file: {...}} are triggers of
 *       their own: they cannot be part of {@code any} or {@code all} ({@code Trigger.any} and
 *       {@code all} refuse that, naming the event or directory), and a job file says so at the
 *       trigger's line.
 * </ul>
 */
package dev.chime.server.spec;
