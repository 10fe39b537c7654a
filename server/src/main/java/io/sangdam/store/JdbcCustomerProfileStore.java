package io.sangdam.store;

import io.sangdam.customer.CustomerProfile;
import io.sangdam.customer.CustomerProfileStore;
import io.sangdam.crypto.FieldCipher;
import java.util.Optional;

/** Customers' names, contacts and memos (V030) in MariaDB, always within the tenant; contacts and memos sealed (V047). */
public final class JdbcCustomerProfileStore implements CustomerProfileStore {
  private final Sql sql;
  private final FieldCipher fields;

  public JdbcCustomerProfileStore(Database db) {
    this.sql = new Sql(db);
    this.fields = db.fields();
  }

  @Override
  public Optional<CustomerProfile> find(long tenantId, long customerId) {
    return sql.one("SELECT id, tenant_id, name, contact, memo FROM customer WHERE tenant_id = ? AND id = ?",
        rs -> new CustomerProfile(rs.getLong("id"), rs.getLong("tenant_id"), rs.getString("name"),
            fields.open(rs.getString("contact")), fields.open(rs.getString("memo"))), tenantId, customerId);
  }

  @Override
  public boolean update(long tenantId, long customerId, String name, String contact, String memo) {
    return sql.update("""
        UPDATE customer SET name = ?, contact = ?, contact_index = ?, memo = ? WHERE tenant_id = ? AND id = ?
        """, name, fields.seal(contact), fields.contactIndex(contact), fields.seal(memo), tenantId, customerId) > 0;
  }
}
