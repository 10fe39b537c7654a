/** Tenants, centers, queues and users: the model, validation of new entries, and cached lookups. */
package io.sangdam.directory;
