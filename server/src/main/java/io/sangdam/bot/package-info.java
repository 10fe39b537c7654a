/**
 * The bot at the front door: which scenario and FAQ greet a conversation ({@link io.sangdam.bot.BotLibrary}),
 * the scenarios' model and engine ({@code scenario}) and the Korean FAQ matcher ({@code faq}).
 */
package io.sangdam.bot;
