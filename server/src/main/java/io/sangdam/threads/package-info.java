/** Which threads must never block (event loops, routing actors, message delivery, conversation events, timers), marked where they are made. */
package io.sangdam.threads;
