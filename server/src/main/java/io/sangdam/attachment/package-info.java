/**
 * Files sent in conversations: checked (size, allowed type, content matching the type, a safe
 * name), stored once by content hash under the data directory, announced as a message, previewed
 * when they are images, and handed out only to the conversation's participants and to users
 * whose scope covers it.
 */
package io.sangdam.attachment;
