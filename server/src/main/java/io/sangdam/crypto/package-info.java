/**
 * Personal fields at rest: the AES-GCM cipher the repositories seal them with, its keys (a key file, several
 * keys with one active), and the keyed blind index that lets equality look-ups find sealed values.
 */
package io.sangdam.crypto;
