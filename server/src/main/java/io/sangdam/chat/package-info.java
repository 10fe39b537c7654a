/**
 * Conversations and messages: one owner of the live state ({@link io.sangdam.chat.LiveConversations}),
 * the actions that change it (persist, then the live state, then publish a {@link io.sangdam.chat.ConversationEvent}),
 * and the ports they persist and publish through.
 */
package io.sangdam.chat;
