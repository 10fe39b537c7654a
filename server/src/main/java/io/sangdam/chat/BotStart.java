package io.sangdam.chat;

/** The scenario, at the version it is now, that owns a conversation opening in {@code BOT}. */
public record BotStart(long scenario, int version) {}
