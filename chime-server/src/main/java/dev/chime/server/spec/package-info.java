/**
 * Job files and job bodies: the contract's YAML/JSON form of a job, read into {@link dev.chime.Job}
 * and written back, with every error named by file, line and field.
 */
package dev.chime.server.spec;
