/** The only package that runs SQL: the connection pool, migrations, the repositories behind each feature's store port, and the batching message writer. */
package io.sangdam.store;
