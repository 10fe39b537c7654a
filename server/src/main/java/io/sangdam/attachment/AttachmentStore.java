package io.sangdam.attachment;

import io.sangdam.chat.Attachment;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import java.time.Instant;
import java.util.Optional;

/** What attachments need persisted besides the bytes. Implemented in {@code store}; methods block. */
public interface AttachmentStore {
  /** Records a file sent in a conversation (its bytes are already in the content store). */
  Attachment insert(long conversationId, String name, String contentType, long size, String sha256,
      String previewSha256, SenderKind uploaderKind, long uploaderId, Instant at);

  Optional<Attachment> attachment(long id);

  /** The message a sender stored with {@code cmid}, if any: a repeated upload answers it. */
  Optional<StoredMessage> messageByCmid(SenderKind kind, long senderId, String cmid);

  /** Whether the agent carries or ever carried the conversation. */
  boolean wasAssigned(long conversationId, long agentId);
}
