package io.sangdam.chat;

/**
 * A conversation's place in its bot's scenario as stored: the scenario and the version it started on, the engine's
 * state as JSON (null before the bot's first turn was kept: a crash right after the start), and {@code answered},
 * the seq of the customer's last message a kept turn answered (for the greeting: their last before it; 0 before
 * any): the customer's messages after it are still to be answered.
 */
public record BotStanding(long scenario, int version, String state, long answered) {}
