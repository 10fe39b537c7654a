/**
 * The bot at the front door: which scenario and FAQ greet a conversation ({@link io.sangdam.bot.BotLibrary}, read
 * through {@link io.sangdam.bot.CachedBotLibrary} on every node), the admins' changes to them
 * ({@link io.sangdam.bot.BotEditor}), the scenarios' model and engine ({@code scenario}) and the Korean FAQ matcher
 * ({@code faq}).
 */
package io.sangdam.bot;
