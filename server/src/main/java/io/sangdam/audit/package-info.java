/** The append-only audit log: who did what, in which scope, when and from where. */
package io.sangdam.audit;
