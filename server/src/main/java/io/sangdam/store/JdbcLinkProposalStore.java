package io.sangdam.store;

import io.sangdam.channel.LinkProposal;
import io.sangdam.channel.LinkProposalStore;
import io.sangdam.crypto.FieldCipher;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Proposals to link channel customers in MariaDB, with their customer's channel code and key joined in. */
public final class JdbcLinkProposalStore implements LinkProposalStore {
  private static final String SELECT = """
      SELECT p.id, p.tenant_id, p.customer_id, ch.code AS channel, cu.channel_user, cu.name AS customer_name,
             p.external_id, p.note, p.conversation_id, p.linked_before, p.proposed_by_kind, p.proposed_by_user,
             p.proposed_by_name, p.proposed_at, p.status, p.decided_by, p.decided_at, p.reason
      FROM customer_link_proposal p
      JOIN customer cu ON cu.id = p.customer_id
      JOIN channel ch ON ch.id = cu.channel_id
      """;

  private final Sql sql;
  private final FieldCipher fields;

  public JdbcLinkProposalStore(Database db) {
    this.sql = new Sql(db);
    this.fields = db.fields();
  }

  private LinkProposal proposal(ResultSet rs) throws SQLException {
    LinkProposal.Proposer by = rs.getString("proposed_by_kind").equals("BOT")
        ? new LinkProposal.Proposer.Bot(rs.getString("proposed_by_name"))
        : new LinkProposal.Proposer.User(rs.getLong("proposed_by_user"), rs.getString("proposed_by_name"));
    return new LinkProposal(rs.getLong("id"), rs.getLong("tenant_id"), rs.getLong("customer_id"),
        rs.getString("channel"), fields.open(rs.getString("channel_user")), rs.getString("customer_name"),
        rs.getString("external_id"), rs.getString("note"), rs.getLong("conversation_id"),
        rs.getString("linked_before"), by, Sql.instant(rs, "proposed_at"),
        LinkProposal.Status.valueOf(rs.getString("status")), Sql.nullableLong(rs, "decided_by"),
        Sql.instant(rs, "decided_at"), rs.getString("reason"));
  }

  @Override
  public LinkProposal.Proposed propose(long tenantId, long customerId, String externalId, String note,
      long conversationId, String linkedBefore, LinkProposal.Proposer by, Instant at) {
    Long userId = by instanceof LinkProposal.Proposer.User u ? u.userId() : null;
    String name = by instanceof LinkProposal.Proposer.User u ? u.username() : ((LinkProposal.Proposer.Bot) by).name();
    try {
      long id = sql.insert("""
          INSERT INTO customer_link_proposal (tenant_id, customer_id, external_id, note, conversation_id,
            linked_before, proposed_by_kind, proposed_by_user, proposed_by_name, proposed_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """, tenantId, customerId, externalId, note, conversationId, linkedBefore, userId == null ? "BOT" : "USER",
          userId, name, at);
      return new LinkProposal.Proposed(find(tenantId, id).orElseThrow(), true);
    } catch (StoreException e) {
      if (!Sql.isDuplicate(e)) {
        throw e;
      }
      // Pending already (made before, or by another at the same moment): that one is the proposal.
      return new LinkProposal.Proposed(sql.one(SELECT + """
          WHERE p.tenant_id = ? AND p.customer_id = ? AND p.external_id = ? AND p.status = 'PENDING'
          """, this::proposal, tenantId, customerId, externalId).orElseThrow(() -> e), false);
    }
  }

  @Override
  public Optional<LinkProposal> find(long tenantId, long id) {
    return sql.one(SELECT + "WHERE p.tenant_id = ? AND p.id = ?", this::proposal, tenantId, id);
  }

  @Override
  public List<LinkProposal> list(long tenantId, LinkProposal.Status status, int offset, int limit) {
    return sql.list(SELECT + "WHERE p.tenant_id = ? AND p.status = ? ORDER BY p.id DESC LIMIT ? OFFSET ?",
        this::proposal, tenantId, status.name(), limit, offset);
  }

  @Override
  public List<LinkProposal> forCustomer(long tenantId, long customerId, int limit) {
    return sql.list(SELECT + "WHERE p.tenant_id = ? AND p.customer_id = ? ORDER BY p.id DESC LIMIT ?",
        this::proposal, tenantId, customerId, limit);
  }

  @Override
  public Outcome accept(long tenantId, long id, long userId, Instant at) {
    return sql.transaction(c -> {
      List<String[]> rows = Sql.list(c, """
          SELECT p.status, p.customer_id, p.external_id, p.linked_before, cu.external_id AS linked_now
          FROM customer_link_proposal p JOIN customer cu ON cu.id = p.customer_id
          WHERE p.tenant_id = ? AND p.id = ? FOR UPDATE
          """, rs -> new String[] {rs.getString("status"), rs.getString("customer_id"), rs.getString("external_id"),
              rs.getString("linked_before"), rs.getString("linked_now")}, tenantId, id);
      if (rows.isEmpty()) {
        return Outcome.UNKNOWN;
      }
      String[] row = rows.get(0);
      if (!row[0].equals("PENDING")) {
        return Outcome.DECIDED;
      }
      if (!Objects.equals(row[3], row[4])) {
        return Outcome.LINK_CHANGED;
      }
      Sql.update(c, "UPDATE customer SET external_id = ? WHERE id = ? AND tenant_id = ?", row[2],
          Long.parseLong(row[1]), tenantId);
      decide(c, tenantId, id, "ACCEPTED", userId, null, at);
      return Outcome.DONE;
    });
  }

  @Override
  public Outcome reject(long tenantId, long id, long userId, String reason, Instant at) {
    return sql.transaction(c -> {
      if (decide(c, tenantId, id, "REJECTED", userId, reason, at)) {
        return Outcome.DONE;
      }
      return Sql.list(c, "SELECT 1 FROM customer_link_proposal WHERE tenant_id = ? AND id = ?", rs -> 1, tenantId, id)
          .isEmpty() ? Outcome.UNKNOWN : Outcome.DECIDED;
    });
  }

  private static boolean decide(Connection c, long tenantId, long id, String status, long userId, String reason,
      Instant at) throws SQLException {
    return Sql.update(c, """
        UPDATE customer_link_proposal SET status = ?, decided_by = ?, decided_at = ?, reason = ?
        WHERE tenant_id = ? AND id = ? AND status = 'PENDING'
        """, status, userId, at, reason, tenantId, id) == 1;
  }
}
