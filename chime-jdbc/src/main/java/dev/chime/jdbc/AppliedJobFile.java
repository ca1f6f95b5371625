package dev.chime.jdbc;

import java.time.Instant;

/**
 * One version of a job file that a server applied ({@code chime serve --config}), as the table
 * {@code chime_job_files} keeps it.
 *
 * @param owner the file's owner, {@code file:PATH}
 * @param sha256 SHA-256 (hex) of the file's bytes: the version
 * @param appliedAt when it was last applied (the database's clock on PostgreSQL)
 * @param node the node that last applied it
 */
public record AppliedJobFile(String owner, String sha256, Instant appliedAt, String node) {}
