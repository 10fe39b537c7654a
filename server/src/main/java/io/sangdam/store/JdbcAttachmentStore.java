package io.sangdam.store;

import io.sangdam.attachment.AttachmentStore;
import io.sangdam.chat.Attachment;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import java.time.Instant;
import java.util.Optional;

/** Attachment records in MariaDB; the bytes are the content store's. */
public final class JdbcAttachmentStore implements AttachmentStore {
  private final Sql sql;

  public JdbcAttachmentStore(Database db) {
    this.sql = new Sql(db);
  }

  @Override
  public Attachment insert(long conversationId, String name, String contentType, long size, String sha256,
      String previewSha256, SenderKind uploaderKind, long uploaderId, Instant at) {
    long id = sql.insert("""
        INSERT INTO attachment (conversation_id, name, content_type, size_bytes, sha256, preview_sha256,
                                uploader_kind, uploader_id, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """, conversationId, name, contentType, size, sha256, previewSha256, uploaderKind, uploaderId, at);
    return new Attachment(id, conversationId, name, contentType, size, sha256, previewSha256, uploaderKind,
        uploaderId, at);
  }

  @Override
  public Optional<Attachment> attachment(long id) {
    return sql.one("""
        SELECT id, conversation_id, name, content_type, size_bytes, sha256, preview_sha256, uploader_kind,
               uploader_id, created_at
        FROM attachment WHERE id = ?
        """, rs -> new Attachment(rs.getLong("id"), rs.getLong("conversation_id"), rs.getString("name"),
            rs.getString("content_type"), rs.getLong("size_bytes"), rs.getString("sha256"),
            rs.getString("preview_sha256"), SenderKind.valueOf(rs.getString("uploader_kind")),
            rs.getLong("uploader_id"), Sql.instant(rs, "created_at")), id);
  }

  @Override
  public Optional<StoredMessage> messageByCmid(SenderKind kind, long senderId, String cmid) {
    return sql.one(JdbcChatStore.MESSAGE_SELECT + " WHERE m.sender_kind = ? AND m.sender_id = ? AND m.cmid = ?",
        JdbcChatStore::message, kind, senderId, cmid);
  }

  @Override
  public boolean wasAssigned(long conversationId, long agentId) {
    return JdbcChatStore.wasAssigned(sql, conversationId, agentId);
  }
}
