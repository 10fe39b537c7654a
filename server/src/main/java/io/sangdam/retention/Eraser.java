package io.sangdam.retention;

import io.sangdam.attachment.ContentStore;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Erases conversations already marked pending, in batches that never hold a lock on chat tables for long: first the
 * decision, one short transaction over the batch (at most {@code batchSize} conversations, a few rows each) that
 * reads the holds as they are then and strips what is not messages nor attachments; then the messages, in statements
 * of at most {@code batchSize} rows each committed on its own; then the end, one short transaction with the
 * attachments. Live chat writes between them. A hold placed before the decision commits wins: nothing of its
 * conversation is deleted. Attachment files no row refers to any more are removed from disk after the end.
 */
public final class Eraser {
  private static final Logger log = LoggerFactory.getLogger(Eraser.class);
  private final RetentionStore store;
  private final ContentStore files;
  private final int batchSize;

  public Eraser(RetentionStore store, ContentStore files, int batchSize) {
    this.store = store;
    this.files = files;
    this.batchSize = batchSize;
  }

  int batchSize() {
    return batchSize;
  }

  /** Finishes these conversations (those of them marked pending), batch by batch. */
  Erased erase(List<Long> conversationIds) {
    Erased total = Erased.NONE;
    for (int from = 0; from < conversationIds.size(); from += batchSize) {
      total = total.plus(batch(conversationIds.subList(from, Math.min(conversationIds.size(), from + batchSize))));
    }
    return total;
  }

  /** Finishes the tenant's pending conversations: what a run or request cut short left. */
  Erased leftovers(long tenantId) {
    Erased total = Erased.NONE;
    for (List<Long> ids = store.pending(tenantId, 0, batchSize); !ids.isEmpty();
        ids = store.pending(tenantId, ids.get(ids.size() - 1), batchSize)) {
      total = total.plus(batch(ids));
    }
    return total;
  }

  private Erased batch(List<Long> ids) {
    int withdrawn = store.decide(ids);
    if (withdrawn > 0) {
      log.info("retention: {} conversations held after they were marked are kept whole", withdrawn);
    }
    int messages = 0;
    // Each round deletes at most batchSize rows, so it ends after at most (messages / batchSize) + 1 rounds.
    for (int deleted = store.deleteMessages(ids, batchSize); deleted > 0; deleted = store.deleteMessages(ids,
        batchSize)) {
      messages += deleted;
    }
    RetentionStore.Finished finished = store.complete(ids);
    int removed = 0;
    for (String sha256 : finished.unreferencedFiles()) {
      if (files.delete(sha256)) {
        removed++;
      }
    }
    Erased e = finished.erased();
    return new Erased(e.conversations(), messages, e.attachments(), removed, 0, 0);
  }
}
