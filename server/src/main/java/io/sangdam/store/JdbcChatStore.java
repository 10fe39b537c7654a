package io.sangdam.store;

import io.sangdam.chat.Attachment;
import io.sangdam.chat.BotStanding;
import io.sangdam.chat.BotStart;
import io.sangdam.chat.BotTally;
import io.sangdam.chat.CollectedValue;
import io.sangdam.chat.ChatStore;
import io.sangdam.chat.Conversation;
import io.sangdam.chat.ConversationState;
import io.sangdam.chat.FirstMessage;
import io.sangdam.chat.Note;
import io.sangdam.chat.OfflineInquiry;
import io.sangdam.chat.SenderKind;
import io.sangdam.chat.StoredMessage;
import io.sangdam.crypto.FieldCipher;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.SangdamException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Conversations and reading messages in MariaDB (writing messages is the {@link MessageWriter}'s).
 * Each change of a conversation's state checks the {@link CenterFence} of its center in its own
 * transaction, so a node that lost the center decides nothing more for it.
 */
public final class JdbcChatStore implements ChatStore {
  private static final String CONVERSATION_SELECT = """
      SELECT c.id, c.tenant_id, c.center_id, c.queue_id, c.customer_id, cu.name AS customer_name, c.agent_id,
             c.state, c.priority, COALESCE(c.handed_off_at, c.created_at) AS created_at, c.queued_at, c.assigned_at, c.channel,
             COALESCE((SELECT MAX(m.seq) FROM message m WHERE m.conversation_id = c.id), 0) AS last_seq,
             EXISTS (SELECT 1 FROM message m WHERE m.conversation_id = c.id AND m.sender_kind = 'AGENT') AS answered
      FROM conversation c JOIN customer cu ON cu.id = c.customer_id
      """;

  /** Messages with the file each announces; {@code JdbcChatStore::message} reads a row of it. */
  static final String MESSAGE_SELECT = """
      SELECT m.conversation_id, m.seq, m.sender_kind, m.sender_id, m.cmid, m.body, m.created_at,
             m.sender_name, m.buttons, m.button, m.system_key, m.system_params, a.id AS a_id, a.name AS a_name, a.content_type AS a_type, a.size_bytes AS a_size,
             a.sha256 AS a_sha256, a.preview_sha256 AS a_preview, a.uploader_kind AS a_uploader_kind,
             a.uploader_id AS a_uploader_id, a.created_at AS a_created_at
      FROM message m LEFT JOIN attachment a ON a.id = m.attachment_id
      """;

  /** The unique keys a customer's start may meet (V021, V001): their open conversation, their message's cmid. */
  private static final String OPEN_KEY = "ux_conversation_channel_open";
  private static final String CMID_KEY = "uk_message_cmid";

  private final Sql sql;
  private final CenterFence centers;
  private final FieldCipher fields;

  public JdbcChatStore(Database db) {
    this(db, CenterFence.NONE);
  }

  /** {@code centers}: checked by every change of a conversation's state; {@link CenterFence#NONE} for a node alone. */
  public JdbcChatStore(Database db, CenterFence centers) {
    this.sql = new Sql(db);
    this.centers = centers;
    this.fields = db.fields();
  }

  private static Conversation conversation(ResultSet rs) throws SQLException {
    return new Conversation(rs.getLong("id"), rs.getLong("tenant_id"), rs.getLong("center_id"),
        rs.getLong("queue_id"), rs.getLong("customer_id"), rs.getString("customer_name"),
        Sql.nullableLong(rs, "agent_id"), ConversationState.valueOf(rs.getString("state")), rs.getInt("priority"),
        Sql.instant(rs, "created_at"), Sql.instant(rs, "queued_at"), Sql.instant(rs, "assigned_at"),
        rs.getLong("last_seq"), rs.getBoolean("answered"), rs.getString("channel"));
  }

  static StoredMessage message(ResultSet rs) throws SQLException {
    return new StoredMessage(rs.getLong("conversation_id"), rs.getLong("seq"),
        SenderKind.valueOf(rs.getString("sender_kind")), Sql.nullableLong(rs, "sender_id"), rs.getString("cmid"),
        rs.getString("body"), Sql.instant(rs, "created_at"),
        Sql.nullableLong(rs, "a_id") == null ? null : new Attachment(rs.getLong("a_id"), rs.getLong("conversation_id"),
            rs.getString("a_name"), rs.getString("a_type"), rs.getLong("a_size"), rs.getString("a_sha256"),
            rs.getString("a_preview"), SenderKind.valueOf(rs.getString("a_uploader_kind")),
            rs.getLong("a_uploader_id"), Sql.instant(rs, "a_created_at")),
        false, rs.getString("sender_name"), ChoicesJson.read(rs.getString("buttons")), rs.getString("button"),
        NoticeJson.read(rs.getString("system_key"), rs.getString("system_params")));
  }

  @Override
  public Conversation insertConversation(long tenantId, long centerId, long queueId, long customerId,
      String customerName, int priority, Instant at, String startKey, FirstMessage first, BotStart bot) {
    try {
      return insertOnce(tenantId, centerId, queueId, customerId, customerName, priority, at, startKey, first, bot);
    } catch (StoreException e) {
      if (!Sql.isDuplicateOf(e, OPEN_KEY) && !Sql.isDuplicateOf(e, CMID_KEY)) {
        throw e;
      }
      // A key left on an ended conversation (ended by a node of a version before V021, during a rolling
      // upgrade) holds nothing open: it is cleared, and the start tried once more.
      if (Sql.isDuplicateOf(e, OPEN_KEY) && sql.update("""
          UPDATE conversation SET channel_open_customer = NULL
          WHERE channel_open_customer = ? AND state NOT IN ('BOT', 'WAITING', 'ASSIGNED', 'HOLD')
          """, customerId) > 0) {
        return insertConversation(tenantId, centerId, queueId, customerId, customerName, priority, at, startKey,
            first, bot);
      }
      throw new SangdamException(ErrorCode.CONFLICT, "the customer has an open conversation already, or this "
          + "message in one: another request opened it a moment before");
    }
  }

  private Conversation insertOnce(long tenantId, long centerId, long queueId, long customerId, String customerName,
      int priority, Instant at, String startKey, FirstMessage first, BotStart bot) {
    ConversationState state = bot == null ? ConversationState.WAITING : ConversationState.BOT;
    // The conversation takes its channel from its customer: a channel's customer writes only from it.
    String[] channel = new String[1];
    long id = sql.transaction(c -> {
      centers.checkCenter(c, centerId);
      // A channel's customer's conversation holds the customer's id in channel_open_customer while it is
      // open (V021): the unique key lets no node open a second one for them meanwhile.
      long inserted = Sql.insert(c, """
          INSERT INTO conversation (tenant_id, center_id, queue_id, customer_id, state, priority, created_at,
                                    queued_at, channel, channel_user, start_key, channel_open_customer,
                                    bot_scenario, bot_version)
          SELECT ?, ?, ?, cu.id, ?, ?, ?, ?, COALESCE(ch.code, 'web'), cu.channel_user, ?,
                 IF(cu.channel_id IS NULL, NULL, cu.id), ?, ?
          FROM customer cu LEFT JOIN channel ch ON ch.id = cu.channel_id
          WHERE cu.id = ?
          """, tenantId, centerId, queueId, state, priority, at, at, startKey, bot == null ? null : bot.scenario(),
          bot == null ? null : bot.version(), customerId);
      channel[0] = Sql.list(c, "SELECT channel FROM conversation WHERE id = ?", rs -> rs.getString(1), inserted).get(0);
      // A channel's conversation owes its channel every agent and system message and its end from now on
      // (V014): in this transaction, so none is missed whatever stops after the commit. It owes nothing yet:
      // parked until the commit of what it owes wakes it (JdbcChannelOutbox).
      Sql.update(c, """
          INSERT INTO channel_outbound (conversation_id, channel_id, next_attempt_at)
          SELECT ?, cu.channel_id, """ + JdbcChannelOutbox.PARKED + """
          FROM customer cu WHERE cu.id = ? AND cu.channel_id IS NOT NULL
          """, inserted, customerId);
      if (first != null) {
        // Message 1 of a conversation nobody else knows yet: no writer can have given it a seq.
        Sql.update(c, """
            INSERT INTO message (conversation_id, seq, sender_kind, sender_id, cmid, body, created_at)
            VALUES (?, 1, ?, ?, ?, ?, ?)
            """, inserted, SenderKind.CUSTOMER, customerId, first.cmid(), first.text(), at);
      }
      return inserted;
    });
    return new Conversation(id, tenantId, centerId, queueId, customerId, customerName, null,
        state, priority, at, at, null, 0, false, channel[0]);
  }

  @Override
  public String customerChannel(long customerId) {
    return sql.one("""
        SELECT COALESCE(ch.code, 'web') FROM customer cu LEFT JOIN channel ch ON ch.id = cu.channel_id WHERE cu.id = ?
        """, rs -> rs.getString(1), customerId).orElse(Conversation.WEB);
  }

  @Override
  public Optional<BotStanding> botStanding(long conversationId) {
    return sql.one("""
        SELECT bot_scenario, bot_version, bot_state, COALESCE(bot_answered_seq, 0) FROM conversation
        WHERE id = ? AND state = 'BOT' AND bot_scenario IS NOT NULL
        """, rs -> new BotStanding(rs.getLong(1), rs.getInt(2), fields.openOr(rs.getString(3), null), rs.getLong(4)),
        conversationId);
  }

  @Override
  public boolean saveBotState(long conversationId, String stateJson, long answeredSeq, BotTally tally) {
    return sql.transaction(c -> {
      centers.checkConversation(c, conversationId);
      boolean kept = Sql.update(c, """
          UPDATE conversation SET bot_state = ?, bot_answered_seq = ?
          WHERE id = ? AND state = 'BOT' AND (bot_answered_seq IS NULL OR bot_answered_seq < ?)
          """, fields.seal(stateJson), answeredSeq, conversationId, answeredSeq) == 1;
      if (kept) {
        Rollups.botTurn(c, conversationId, tally);
      }
      return kept;
    });
  }

  @Override
  public boolean countBotTurn(long conversationId, long answeredSeq, BotTally tally) {
    return sql.transaction(c -> {
      centers.checkConversation(c, conversationId);
      // Locks the row, so the bot's part cannot end between the check and the count.
      boolean withBot = !Sql.list(c, "SELECT 1 FROM conversation WHERE id = ? AND state = 'BOT' FOR UPDATE",
          rs -> true, conversationId).isEmpty();
      // Kept as seq + 1, so the greeting's last turn (on seq 0: no customer message yet) counts too.
      if (withBot && Sql.update(c, """
          UPDATE conversation SET bot_counted_seq = ?
          WHERE id = ? AND (bot_counted_seq IS NULL OR bot_counted_seq < ?)
          """, answeredSeq + 1, conversationId, answeredSeq + 1) == 1) {
        Rollups.botTurn(c, conversationId, tally);
      }
      return withBot;
    });
  }

  @Override
  public long lastCustomerSeq(long conversationId) {
    return sql.one("""
        SELECT COALESCE(MAX(seq), 0) FROM message WHERE conversation_id = ? AND sender_kind = 'CUSTOMER'
        """, rs -> rs.getLong(1), conversationId).orElse(0L);
  }

  @Override
  public boolean markHandedOff(long conversationId, long centerId, long queueId, List<CollectedValue> fields,
      Instant at) {
    return sql.transaction(c -> {
      centers.checkConversation(c, conversationId);
      Rollups.botHandingOff(c, conversationId);
      return Sql.update(c, """
          UPDATE conversation SET state = 'WAITING', center_id = ?, queue_id = ?, queued_at = ?, handed_off_at = ?,
                 bot_fields = ?
          WHERE id = ? AND state = 'BOT'
          """, centerId, queueId, at, at, this.fields.seal(CollectedValuesJson.write(fields)), conversationId) == 1;
    });
  }

  @Override
  public List<CollectedValue> collectedValues(long conversationId) {
    return sql.one("SELECT COALESCE(bot_fields, '[]') FROM conversation WHERE id = ?",
        rs -> fields.openOr(rs.getString(1), "[]"), conversationId)
        .map(CollectedValuesJson::read).orElse(List.of());
  }

  @Override
  public boolean markAssigned(long conversationId, long agentId, String how, Instant at) {
    return sql.transaction(c -> {
      centers.checkConversation(c, conversationId);
      boolean assigned = Sql.update(c, """
          UPDATE conversation SET state = 'ASSIGNED', agent_id = ?, assigned_at = ?
          WHERE id = ? AND state = 'WAITING'
          """, agentId, at, conversationId) == 1;
      if (assigned) {
        startCarrying(c, conversationId, agentId, how, at);
      }
      return assigned;
    });
  }

  @Override
  public boolean markEnded(long conversationId, ConversationState state, String reason, Instant at) {
    return sql.transaction(c -> {
      centers.checkConversation(c, conversationId);
      boolean ended = Sql.update(c, """
          UPDATE conversation SET state = ?, close_reason = ?, closed_at = ?, channel_open_customer = NULL
          WHERE id = ? AND state IN ('BOT', 'WAITING', 'ASSIGNED', 'HOLD')
          """, state, reason, at, conversationId) == 1;
      if (ended) {
        stopCarrying(c, conversationId, at);
        Rollups.ended(c, conversationId);
      }
      return ended;
    });
  }

  @Override
  public void classify(long conversationId, Long categoryId, List<String> tags) {
    sql.transaction(c -> {
      if (categoryId != null) {
        Sql.update(c, "UPDATE conversation SET category_id = ? WHERE id = ?", categoryId, conversationId);
      }
      for (String tag : tags) {
        Sql.update(c, "INSERT IGNORE INTO conversation_tag (conversation_id, tag) VALUES (?, ?)", conversationId, tag);
      }
      return null;
    });
  }

  @Override
  public boolean markWaiting(long conversationId, Long expectedAgentId, long centerId, long queueId,
      boolean transfer, Instant at) {
    return sql.transaction(c -> {
      centers.checkConversation(c, conversationId);
      boolean waiting = Sql.update(c, """
          UPDATE conversation SET state = 'WAITING', agent_id = NULL, assigned_at = NULL, center_id = ?, queue_id = ?,
                 queued_at = ?, transfers = transfers + ?
          WHERE id = ? AND state IN ('BOT', 'WAITING', 'ASSIGNED', 'HOLD') AND agent_id <=> ?
          """, centerId, queueId, at, transfer ? 1 : 0, conversationId, expectedAgentId) == 1;
      if (waiting) {
        stopCarrying(c, conversationId, at);
      }
      return waiting;
    });
  }

  @Override
  public boolean markHandedOver(long conversationId, long fromAgentId, long toAgentId, Instant at) {
    return sql.transaction(c -> {
      centers.checkConversation(c, conversationId);
      boolean handed = Sql.update(c, """
          UPDATE conversation SET state = 'ASSIGNED', agent_id = ?, assigned_at = ?, transfers = transfers + 1
          WHERE id = ? AND agent_id = ? AND state IN ('ASSIGNED', 'HOLD')
          """, toAgentId, at, conversationId, fromAgentId) == 1;
      if (handed) {
        stopCarrying(c, conversationId, at);
        startCarrying(c, conversationId, toAgentId, "TRANSFERRED", at);
      }
      return handed;
    });
  }

  @Override
  public boolean markHold(long conversationId, long agentId, boolean hold) {
    return sql.transaction(c -> {
      centers.checkConversation(c, conversationId);
      return Sql.update(c, """
          UPDATE conversation SET state = ? WHERE id = ? AND agent_id = ? AND state = ?
          """, hold ? "HOLD" : "ASSIGNED", conversationId, agentId, hold ? "ASSIGNED" : "HOLD") == 1;
    });
  }

  private static void startCarrying(Connection c, long conversationId, long agentId, String how, Instant at)
      throws SQLException {
    Sql.update(c, """
        INSERT INTO conversation_assignment (conversation_id, agent_id, assigned_at, how) VALUES (?, ?, ?, ?)
        """, conversationId, agentId, at, how);
  }

  private static void stopCarrying(Connection c, long conversationId, Instant at) throws SQLException {
    Sql.update(c, """
        UPDATE conversation_assignment SET released_at = ? WHERE conversation_id = ? AND released_at IS NULL
        """, at, conversationId);
  }

  static final String NOTE_SELECT =
      "SELECT id, conversation_id, author_id, kind, cmid, body, created_at FROM conversation_note ";

  static Note note(ResultSet rs) throws SQLException {
    return new Note(rs.getLong("id"), rs.getLong("conversation_id"), rs.getLong("author_id"), rs.getString("kind"),
        rs.getString("cmid"), rs.getString("body"), Sql.instant(rs, "created_at"), false);
  }

  @Override
  public Note insertNote(long conversationId, long authorId, String kind, String cmid, String body, Instant at) {
    try {
      long id = sql.insert("""
          INSERT INTO conversation_note (conversation_id, author_id, kind, cmid, body, created_at)
          VALUES (?, ?, ?, ?, ?, ?)
          """, conversationId, authorId, kind, cmid, body, at);
      return new Note(id, conversationId, authorId, kind, cmid, body, at, false);
    } catch (StoreException e) {
      if (!Sql.isDuplicate(e)) {
        throw e;
      }
      return noteByCmid(authorId, cmid).orElseThrow(() -> e);
    }
  }

  @Override
  public Optional<Note> noteByCmid(long authorId, String cmid) {
    return sql.one(NOTE_SELECT + "WHERE author_id = ? AND cmid = ?", JdbcChatStore::note, authorId, cmid)
        .map(n -> new Note(n.id(), n.conversationId(), n.authorId(), n.kind(), n.cmid(), n.body(), n.at(), true));
  }

  @Override
  public List<Note> notes(long conversationId) {
    return sql.list(NOTE_SELECT + "WHERE conversation_id = ? ORDER BY id LIMIT 1000", JdbcChatStore::note,
        conversationId);
  }

  @Override
  public boolean rate(long conversationId, long customerId, int score, String comment) {
    return sql.transaction(c -> {
      boolean rated = Sql.update(c, """
          UPDATE conversation SET csat_score = ?, csat_comment = ?
          WHERE id = ? AND customer_id = ? AND state = 'CLOSED' AND agent_id IS NOT NULL AND csat_score IS NULL
          """, score, comment, conversationId, customerId) == 1;
      if (rated) {
        Rollups.rated(c, conversationId, score);
      }
      return rated;
    });
  }

  @Override
  public Optional<Integer> rating(long conversationId) {
    return sql.one("SELECT csat_score FROM conversation WHERE id = ? AND csat_score IS NOT NULL",
        rs -> rs.getInt(1), conversationId);
  }

  @Override
  public Optional<Long> previousAgent(long customerId, long conversationId) {
    return sql.one("""
        SELECT agent_id FROM conversation
        WHERE customer_id = ? AND id < ? AND agent_id IS NOT NULL ORDER BY id DESC LIMIT 1
        """, rs -> rs.getLong(1), customerId, conversationId);
  }

  @Override
  public Optional<CustomerRecord> customer(long customerId) {
    return sql.one("SELECT id, name, contact, external_id, under14 FROM customer WHERE id = ?",
        rs -> new CustomerRecord(rs.getLong("id"), rs.getString("name"), fields.open(rs.getString("contact")),
            rs.getString("external_id"), rs.getObject("under14", Boolean.class)), customerId);
  }

  @Override
  public List<Conversation> customerConversations(long customerId, long beforeId, int limit) {
    // The same person may be several customers of the tenant, all known by one external id: a widget
    // customer with a verified identity and the channels' customers linked to it.
    return sql.list(CONVERSATION_SELECT + """
         WHERE c.customer_id IN (
           SELECT o.id FROM customer me JOIN customer o
             ON o.id = me.id OR (o.tenant_id = me.tenant_id AND o.external_id = me.external_id)
           WHERE me.id = ?)
         AND c.id < ? ORDER BY c.id DESC LIMIT ?
        """, JdbcChatStore::conversation, customerId, beforeId, limit);
  }

  @Override
  public int customerPriority(long customerId) {
    return sql.one("SELECT priority FROM customer WHERE id = ?", rs -> rs.getInt(1), customerId).orElse(0);
  }

  @Override
  public boolean updateCustomerPriority(long tenantId, long customerId, int priority) {
    return sql.update("UPDATE customer SET priority = ? WHERE id = ? AND tenant_id = ?", priority, customerId,
        tenantId) == 1;
  }

  @Override
  public long insertInquiry(long tenantId, long centerId, long queueId, long customerId, Long conversationId,
      String contact, String text, Instant at) {
    // A conversation's second inquiry (its bot's last turn run again after a crash) is its first: that one's id.
    return sql.insert("""
        INSERT INTO offline_inquiry (tenant_id, center_id, queue_id, customer_id, conversation_id, contact, body,
                                     created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON DUPLICATE KEY UPDATE id = LAST_INSERT_ID(id)
        """, tenantId, centerId, queueId, customerId, conversationId, fields.seal(contact), fields.seal(text), at);
  }

  @Override
  public List<OfflineInquiry> pendingInquiries(long centerId) {
    return sql.list("""
        SELECT i.id, i.center_id, i.queue_id, i.customer_id, cu.name, i.contact, i.body, i.created_at, i.handled_by,
               i.handled_at
        FROM offline_inquiry i JOIN customer cu ON cu.id = i.customer_id
        WHERE i.center_id = ? AND i.handled_at IS NULL ORDER BY i.id LIMIT 1000
        """, rs -> new OfflineInquiry(rs.getLong("id"), rs.getLong("center_id"), rs.getLong("queue_id"),
        rs.getLong("customer_id"), rs.getString("name"), fields.open(rs.getString("contact")),
        fields.open(rs.getString("body")),
        Sql.instant(rs, "created_at"), Sql.nullableLong(rs, "handled_by"), Sql.instant(rs, "handled_at")), centerId);
  }

  @Override
  public boolean markInquiryHandled(long centerId, long inquiryId, long userId, Instant at) {
    return sql.update("""
        UPDATE offline_inquiry SET handled_by = ?, handled_at = ? WHERE id = ? AND center_id = ? AND handled_at IS NULL
        """, userId, at, inquiryId, centerId) == 1;
  }

  @Override
  public List<Conversation> openConversations() {
    return sql.list(CONVERSATION_SELECT + " WHERE c.state IN ('BOT', 'WAITING', 'ASSIGNED', 'HOLD') ORDER BY c.id",
        JdbcChatStore::conversation);
  }

  @Override
  public List<Conversation> openConversations(long centerId) {
    // ix_conversation_open (state, center_id, created_at): one short range per open state.
    return sql.list(CONVERSATION_SELECT + " WHERE c.state IN ('BOT', 'WAITING', 'ASSIGNED', 'HOLD') AND c.center_id = ? "
        + "ORDER BY c.id", JdbcChatStore::conversation, centerId);
  }

  @Override
  public Optional<Conversation> conversation(long id) {
    return sql.one(CONVERSATION_SELECT + " WHERE c.id = ?", JdbcChatStore::conversation, id);
  }

  @Override
  public Optional<Conversation> conversationStartedWith(long tenantId, String startKey) {
    return sql.one(CONVERSATION_SELECT + " WHERE c.tenant_id = ? AND c.start_key = ?", JdbcChatStore::conversation,
        tenantId, startKey);
  }

  @Override
  public List<StoredMessage> messagesAfter(long conversationId, long afterSeq, int limit) {
    return sql.list(MESSAGE_SELECT + " WHERE m.conversation_id = ? AND m.seq > ? ORDER BY m.seq LIMIT ?",
        JdbcChatStore::message, conversationId, afterSeq, limit);
  }

  @Override
  public List<StoredMessage> lastMessages(long conversationId, int limit) {
    List<StoredMessage> newestFirst = sql.list(
        MESSAGE_SELECT + " WHERE m.conversation_id = ? ORDER BY m.seq DESC LIMIT ?", JdbcChatStore::message, conversationId, limit);
    List<StoredMessage> inOrder = new java.util.ArrayList<>(newestFirst);
    java.util.Collections.reverse(inOrder);
    return inOrder;
  }

  @Override
  public Optional<StoredMessage> messageByCmid(SenderKind kind, long senderId, String cmid) {
    return sql.one(MESSAGE_SELECT + " WHERE m.sender_kind = ? AND m.sender_id = ? AND m.cmid = ?",
        JdbcChatStore::message, kind, senderId, cmid);
  }

  /** Whether the agent carries or ever carried the conversation. */
  static boolean wasAssigned(Sql sql, long conversationId, long agentId) {
    return sql.one("SELECT 1 FROM conversation_assignment WHERE conversation_id = ? AND agent_id = ? LIMIT 1",
        rs -> true, conversationId, agentId).isPresent();
  }
}
