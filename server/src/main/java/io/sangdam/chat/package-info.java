/** Conversations and messages: the single mutation path (persist, then state, then notify) and the ports it persists and notifies through. */
package io.sangdam.chat;
