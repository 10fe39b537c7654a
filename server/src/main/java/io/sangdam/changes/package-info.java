/**
 * Management changes that the caches of every node must see (directory rows, users' tokens, a
 * tenant's webhooks): what changed, and where a node announces a change it made.
 */
package io.sangdam.changes;
