// A time at a center as the center means it: on the center's clock (its time zone, which the server
// sends), and with the zone named when the reader's own clock would show another time (a customer
// abroad, an agent working from another zone), so that "09:00" is never read in the wrong zone.

/**
 * {@code at} (an ISO instant) in {@code locale} with {@code options}, on the clock of {@code zone} (IANA; null: the
 * reader's own).
 */
export function centerTime(at, locale, zone, options) {
  const when = new Date(at);
  const here = new Intl.DateTimeFormat(locale, options).format(when);
  if (!zone) {
    return here;
  }
  const there = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone }).format(when);
  if (there === here) {
    return there;
  }
  const name = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'long' }).formatToParts(when)
    .find((part) => part.type === 'timeZoneName');
  return name ? `${there} (${name.value})` : there;
}
