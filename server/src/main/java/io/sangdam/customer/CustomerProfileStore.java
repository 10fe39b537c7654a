package io.sangdam.customer;

import java.util.Optional;

/** Customers' names, contacts and memos. Implemented in {@code store}; methods block. */
public interface CustomerProfileStore {
  Optional<CustomerProfile> find(long tenantId, long customerId);

  /** Writes the three values as given (null clears contact and memo); false if there is no such customer. */
  boolean update(long tenantId, long customerId, String name, String contact, String memo);
}
