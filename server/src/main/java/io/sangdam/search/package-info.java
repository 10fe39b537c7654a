/**
 * Conversation search (상담 이력 조회) for managers and admins within their scope, and for agents
 * over their own chats: filters, text in messages, a cursor for paging, and the transcript of a
 * result with personal data masked; unmasking one item is a permission and is audited.
 */
package io.sangdam.search;
