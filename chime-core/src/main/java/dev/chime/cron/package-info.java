/** Cron expressions: parsing, matching and next/previous fire times in three dialects. */
package dev.chime.cron;
