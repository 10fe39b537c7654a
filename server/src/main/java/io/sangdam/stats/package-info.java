/**
 * Statistics (통계): the figures of PROTOCOL.md per hour or day for a tenant, center, queue or
 * agent, read from roll-ups kept as conversations end (never from messages), and their CSV export;
 * and the bot's figures (contained, handed off, FAQ hits, helpful clicks) from the bot's own roll-ups.
 */
package io.sangdam.stats;
