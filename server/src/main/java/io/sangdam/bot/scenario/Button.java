package io.sangdam.bot.scenario;

/** A button under a bot message, as sent on the wire: the customer's reply names {@code id}. */
public record Button(String id, String label) {}
