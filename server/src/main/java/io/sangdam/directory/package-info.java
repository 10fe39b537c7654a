/** Tenants, centers, queues and users: the model, validation of new entries, and lookups from an in-memory snapshot that hot threads read without the database. */
package io.sangdam.directory;
