package io.sangdam.chat;

/**
 * A conversation's place in its bot's scenario as stored: the scenario and the version it started on, and the
 * engine's state as JSON (null before the bot's first turn was kept: a crash right after the start).
 */
public record BotStanding(long scenario, int version, String state) {}
