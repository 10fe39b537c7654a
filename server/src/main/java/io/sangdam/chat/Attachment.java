package io.sangdam.chat;

import java.time.Instant;

/**
 * A file sent in a conversation. {@code sha256} names its bytes in the content store;
 * {@code previewSha256} a smaller image, for images that could be decoded (else null).
 */
public record Attachment(long id, long conversationId, String name, String contentType, long size, String sha256,
    String previewSha256, SenderKind uploaderKind, long uploaderId, Instant at) {

  public boolean hasPreview() {
    return previewSha256 != null;
  }
}
