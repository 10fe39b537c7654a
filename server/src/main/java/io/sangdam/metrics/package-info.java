/** What operators scrape at {@code /metrics}: the JVM, the connection pool and Sangdam's own meters. */
package io.sangdam.metrics;
