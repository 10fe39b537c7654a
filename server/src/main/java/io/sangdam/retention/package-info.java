/**
 * Retention of personal data per tenant: how long conversations and customers are kept, the scheduled job that
 * erases what is due in small batches once per run across nodes, legal holds that exempt, and a customer's
 * erasure on request.
 */
package io.sangdam.retention;
