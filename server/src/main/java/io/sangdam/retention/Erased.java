package io.sangdam.retention;

/**
 * What one batch, run or request erased: conversations deleted or anonymised, their messages and attachment rows,
 * attachment files removed from disk, customers deleted or anonymised, and webhook deliveries (payloads not
 * delivered: pending or given up) removed.
 */
public record Erased(int conversations, int messages, int attachments, int files, int customers, int deliveries) {
  public static final Erased NONE = new Erased(0, 0, 0, 0, 0, 0);

  public Erased plus(Erased o) {
    return new Erased(conversations + o.conversations, messages + o.messages, attachments + o.attachments,
        files + o.files, customers + o.customers, deliveries + o.deliveries);
  }

  /** For the audit log's detail. */
  public String detail() {
    return "conversations=" + conversations + " messages=" + messages + " attachments=" + attachments + " files="
        + files + " customers=" + customers + " deliveries=" + deliveries;
  }
}
