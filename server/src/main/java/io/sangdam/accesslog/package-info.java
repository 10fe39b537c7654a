/**
 * Access records (접속기록): who on the staff read whose personal data, when, from where and why, kept as a keyed
 * chain that whoever can write the database cannot rewrite; and the monthly review of unusual access.
 */
package io.sangdam.accesslog;
