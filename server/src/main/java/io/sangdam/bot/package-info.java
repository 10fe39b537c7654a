/**
 * The bot at the front door: which scenario and FAQ greet a conversation ({@link io.sangdam.bot.BotLibrary}, read
 * through {@link io.sangdam.bot.CachedBotLibrary} on every node), the admins' changes to them
 * ({@link io.sangdam.bot.BotEditor}), the scenarios' model and engine ({@code scenario}), the Korean FAQ matcher
 * ({@code faq}), and the conversations a bot owns ({@link io.sangdam.bot.BotConversations}), which walk their
 * scenario one customer message at a time through chat's {@code BotTurns} until the bot hands them to a queue or
 * ends them.
 */
package io.sangdam.bot;
