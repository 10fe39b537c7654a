package io.sangdam.webhook;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Webhooks in the database. Implemented in {@code store}; methods block. */
public interface WebhookStore {
  Webhook insert(long tenantId, String url, String secret, Set<String> events);

  List<Webhook> forTenant(long tenantId);

  Optional<Webhook> find(long tenantId, long id);

  Webhook update(Webhook webhook);

  boolean delete(long tenantId, long id);
}
