/**
 * Webhooks: a tenant's URLs, told of conversations and messages by signed JSON POSTs that are kept
 * in an outbox until answered, retried, checked against forbidden addresses before every attempt,
 * and never in chat's way.
 */
package io.sangdam.webhook;
