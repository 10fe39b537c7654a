/** Webhooks: a tenant's URLs, told of conversations and messages by signed JSON POSTs, retried, never in chat's way. */
package io.sangdam.webhook;
