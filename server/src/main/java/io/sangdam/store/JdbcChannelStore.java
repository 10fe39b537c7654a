package io.sangdam.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.sangdam.channel.Channel;
import io.sangdam.channel.ChannelKind;
import io.sangdam.channel.ChannelStore;
import io.sangdam.crypto.FieldCipher;
import io.sangdam.protocol.ErrorCode;
import io.sangdam.protocol.Json;
import io.sangdam.protocol.SangdamException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Channels, their customers and inbound answers in MariaDB; a channel's settings as a JSON object of strings. */
public final class JdbcChannelStore implements ChannelStore {
  private static final String COLUMNS = """
      SELECT id, tenant_id, code, kind, center_id, queue_id, enabled, settings, secret, created_at FROM channel
      """;
  private static final TypeReference<TreeMap<String, String>> SETTINGS = new TypeReference<>() {};

  private final Sql sql;
  private final Json json;
  private final FieldCipher fields;

  public JdbcChannelStore(Database db, Json json) {
    this.sql = new Sql(db);
    this.fields = db.fields();
    this.json = json;
  }

  private Channel channel(ResultSet rs) throws SQLException {
    Map<String, String> settings;
    try {
      settings = json.mapper().readValue(rs.getString("settings"), SETTINGS);
    } catch (JsonProcessingException e) {
      throw new SQLException("channel " + rs.getLong("id") + " has unreadable settings", e);
    }
    return new Channel(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("code"),
        ChannelKind.valueOf(rs.getString("kind")), rs.getLong("center_id"), rs.getLong("queue_id"),
        rs.getBoolean("enabled"), settings, rs.getString("secret"), Sql.instant(rs, "created_at"));
  }

  private String settings(Map<String, String> settings) {
    return new String(json.write(new TreeMap<>(settings)), StandardCharsets.UTF_8);
  }

  @Override
  public Channel insert(long tenantId, String code, ChannelKind kind, long centerId, long queueId, boolean enabled,
      Map<String, String> settings, String secret, Instant at) {
    try {
      sql.insert("""
          INSERT INTO channel (tenant_id, code, kind, center_id, queue_id, enabled, settings, secret, created_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          """, tenantId, code, kind.name(), centerId, queueId, enabled, settings(settings), secret, at);
    } catch (StoreException e) {
      if (Sql.isDuplicate(e)) {
        throw new SangdamException(ErrorCode.CONFLICT, "channel '" + code + "' exists");
      }
      throw e;
    }
    return find(tenantId, code).orElseThrow();
  }

  @Override
  public Channel update(Channel c) {
    sql.update("UPDATE channel SET center_id = ?, queue_id = ?, enabled = ?, settings = ? WHERE id = ? AND tenant_id = ?",
        c.centerId(), c.queueId(), c.enabled(), settings(c.settings()), c.id(), c.tenantId());
    return find(c.tenantId(), c.code()).orElseThrow(() -> SangdamException.notFound("channel '" + c.code() + "'"));
  }

  @Override
  public List<Channel> forTenant(long tenantId) {
    return sql.list(COLUMNS + "WHERE tenant_id = ? ORDER BY code", this::channel, tenantId);
  }

  @Override
  public Optional<Channel> find(long tenantId, String code) {
    return sql.one(COLUMNS + "WHERE tenant_id = ? AND code = ?", this::channel, tenantId, code);
  }

  @Override
  public Optional<Long> customer(long channelId, String userKey) {
    // By the blind index of the key, sealed as it is (V047); by the key itself, a customer stored before that
    // the start after the upgrade has not sealed yet.
    return sql.one("""
        SELECT id FROM customer WHERE channel_id = ? AND (channel_user_index = ? OR channel_user = ?) LIMIT 1
        """, rs -> rs.getLong(1), channelId, fields.channelUserIndex(userKey), userKey);
  }

  @Override
  public Optional<String> externalId(long customerId) {
    return sql.one("SELECT external_id FROM customer WHERE id = ? AND external_id IS NOT NULL", rs -> rs.getString(1),
        customerId);
  }

  @Override
  public void linkExternalId(long customerId, String externalId) {
    sql.update("UPDATE customer SET external_id = ? WHERE id = ?", externalId, customerId);
  }

  @Override
  public long ensureCustomer(long tenantId, long channelId, String userKey, String name, byte[] visitorHash,
      Instant at) {
    // INSERT IGNORE: a customer made meanwhile by another request (another node) is the one to use.
    sql.update("""
        INSERT IGNORE INTO customer (tenant_id, visitor_hash, name, created_at, channel_id, channel_user,
                                     channel_user_index)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """, tenantId, visitorHash, name, at, channelId, fields.seal(userKey), fields.channelUserIndex(userKey));
    return customer(channelId, userKey).orElseThrow();
  }

  @Override
  public void markUnder14(long customerId, boolean under14) {
    sql.update("UPDATE customer SET under14 = ? WHERE id = ?", under14, customerId);
  }

  @Override
  public void recordThreadControl(long customerId, String control, Instant at) {
    sql.update("UPDATE customer SET thread_control = ?, thread_control_at = ? WHERE id = ?", control, at, customerId);
  }

  @Override
  public Optional<Long> openConversation(long customerId) {
    return sql.one("""
        SELECT id FROM conversation WHERE customer_id = ? AND state IN ('BOT', 'WAITING', 'ASSIGNED', 'HOLD')
        ORDER BY id DESC LIMIT 1
        """, rs -> rs.getLong(1), customerId);
  }

  @Override
  public Optional<Surveyed> surveyed(long customerId) {
    return sql.one("""
        SELECT id, survey_asked_at, csat_score FROM conversation WHERE customer_id = ?
        ORDER BY created_at DESC, id DESC LIMIT 1
        """, rs -> {
          Instant asked = Sql.instant(rs, "survey_asked_at");
          return asked == null ? Optional.<Surveyed>empty()
              : Optional.of(new Surveyed(rs.getLong("id"), asked, rs.getObject("csat_score") != null));
        }, customerId).flatMap(s -> s);
  }

  @Override
  public Optional<InboundAnswer> customerMessage(long customerId, String mid) {
    return sql.one("""
        SELECT conversation_id, seq FROM message WHERE sender_kind = 'CUSTOMER' AND sender_id = ? AND cmid = ?
        """, rs -> new InboundAnswer(rs.getLong("conversation_id"), rs.getLong("seq")), customerId, mid);
  }

  @Override
  public Optional<InboundAnswer> answered(long channelId, String mid) {
    return sql.one("SELECT conversation_id, seq FROM channel_inbound WHERE channel_id = ? AND mid = ?",
        rs -> new InboundAnswer(rs.getLong("conversation_id"), Sql.nullableLong(rs, "seq")), channelId, mid);
  }

  @Override
  public void keepAnswer(long channelId, String mid, InboundAnswer answer, Instant at) {
    sql.update("""
        INSERT IGNORE INTO channel_inbound (channel_id, mid, conversation_id, seq, received_at) VALUES (?, ?, ?, ?, ?)
        """, channelId, mid, answer.conversationId(), answer.seq(), at);
  }

  @Override
  public int forgetAnswers(Instant before) {
    return sql.update("DELETE FROM channel_inbound WHERE received_at < ?", before);
  }
}
