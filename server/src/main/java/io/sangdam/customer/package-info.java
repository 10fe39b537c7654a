/**
 * The customer as the agent console's panel shows and edits it: name, contact and memo, with who may read
 * them in full and who masked, and what a valid value is.
 */
package io.sangdam.customer;
