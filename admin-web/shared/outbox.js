// Chat messages on their way to the server, kept until it acknowledges them. A send refused with
// `unavailable` (the database is down, the server is busy) goes again with the same cmid after
// 1 s, then after twice as long each time up to 15 s; one lost with the socket goes again once
// the socket is back (resend). The server stores a repeated cmid once, so each message arrives
// exactly once however often it went. Any other refusal (too long, conversation closed) is final.

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 15_000;

/**
 * {@code post(frame)} writes a frame on the socket in use, or drops it while none is open (then
 * {@code resend()} sends it once one is); {@code onGivenUp(frame, error)} hears of a send refused for good.
 */
export function outbox(post, onGivenUp) {
  const waiting = new Map(); // cmid -> { frame, rid, attempts, timer }
  let rid = 0;

  const transmit = (cmid) => {
    const entry = waiting.get(cmid);
    entry.timer = null;
    entry.rid = `out${++rid}`;
    post({ ...entry.frame, rid: entry.rid });
  };

  return {
    /** Sends {@code frame} (a frame with a cmid: send, note) and keeps it until it is acknowledged. */
    send(frame) {
      waiting.set(frame.cmid, { frame, rid: null, attempts: 0, timer: null });
      transmit(frame.cmid);
    },

    /**
     * Reads a frame from the server. An ack settles its message and is left to the caller too
     * (false); an error answering one of these sends is dealt with here (true).
     */
    receive(m) {
      if (m.type === 'ack') {
        const entry = waiting.get(m.cmid);
        if (entry) {
          clearTimeout(entry.timer);
          waiting.delete(m.cmid);
        }
        return false;
      }
      if (m.type !== 'error' || !m.rid) {
        return false;
      }
      for (const [cmid, entry] of waiting) {
        if (entry.rid === m.rid) {
          if (m.code === 'unavailable') {
            entry.attempts += 1;
            entry.timer = setTimeout(() => transmit(cmid),
              Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (entry.attempts - 1)));
          } else {
            waiting.delete(cmid);
            onGivenUp(entry.frame, m);
          }
          return true;
        }
      }
      return false;
    },

    /** The socket is back (its hello answered): whatever is not acknowledged goes again, now. */
    resend() {
      for (const [cmid, entry] of waiting) {
        clearTimeout(entry.timer);
        transmit(cmid);
      }
    },

    /** Whether {@code cmid} is still on its way. */
    has(cmid) {
      return waiting.has(cmid);
    },
  };
}
