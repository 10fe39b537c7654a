// The audit log in the reader's words. The server writes each entry in its own terms, for its log
// and for exports: an action code (pii.unmask), a target (conversation 42, the path a change was
// made at) and a detail sentence ("mobile #0 of message 1"). These are the formats it writes
// (AuthEndpoints, ConversationSearch, Supervision, StatsEndpoints, LinkProposals, Commands); one it
// does not write yet is shown as written.
import { app } from './app.js';

/** The action's label (auditAction.<code>); a code the console does not know yet is shown as is. */
export function actionText(action) {
  const key = `auditAction.${action}`;
  const label = app.text(key);
  return label === key ? action : label;
}

/** What a part of a management path names (centers, queues, ...), or the part itself (a code). */
function part(name) {
  const key = `auditPart.${name}`;
  const label = app.text(key);
  return label === key ? null : label;
}

/**
 * A management path as "센터 seoul › 큐 loan": each collection by its name, each item by the code an
 * administrator gave it; the tenant is in its own column.
 */
function pathText(target) {
  const parts = target.replace(/^\/api\/tenants\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length <= 1) {
    return app.text('auditPart.tenants');
  }
  const words = [];
  for (let i = 1; i < parts.length; i += 1) {
    const name = part(parts[i]);
    if (name && i + 1 < parts.length && !part(parts[i + 1])) {
      words.push(`${name} ${parts[i + 1]}`);
      i += 1;
    } else {
      words.push(name || parts[i]);
    }
  }
  return words.join(' › ');
}

export function targetText(action, target) {
  let found = /^conversation (\d+)$/.exec(target);
  if (found) {
    return app.text('transcriptTitle', { id: found[1] });
  }
  found = /^link proposal (\d+)$/.exec(target);
  if (found) {
    return app.text('linkProposalNo', { id: found[1] });
  }
  if (action.startsWith('manage.') && target.startsWith('/api/tenants')) {
    return pathText(target);
  }
  return target;
}

const KINDS = ['mobile', 'phone', 'rrn', 'card', 'email'];

export function detailText(action, detail) {
  if (action === 'pii.unmask') {
    if (detail === 'customer name' || detail === 'customer contact') {
      return app.text(detail === 'customer name' ? 'unmaskedName' : 'unmaskedContact');
    }
    const item = /^(\w+) #(\d+) of message (\d+)$/.exec(detail);
    if (item && KINDS.includes(item[1])) {
      return app.text('unmaskedItem', { kind: app.text(`pii.${item[1]}`), n: Number(item[2]) + 1, seq: item[3] });
    }
  }
  if (action === 'auth.login.failed') {
    return app.text('loginFailedDetail');
  }
  if (action === 'auth.login.throttled') {
    const n = /^(\d+) failed sign-ins/.exec(detail);
    return app.text('loginThrottledDetail', { n: n ? n[1] : '?' });
  }
  if (action === 'auth.login.refused') {
    const n = /\(refusal (\d+) in this window\)$/.exec(detail);
    return app.text('loginRefusedDetail', { n: n ? n[1] : '?' });
  }
  if (action === 'supervision.reassign' && detail) {
    return app.text('reassignedTo', { agent: detail });
  }
  if (action.startsWith('console.')) {
    return app.text('consoleDetail');
  }
  if (action === 'stats.export') {
    return exportText(detail);
  }
  if (action === 'customer.link.propose') {
    const link = /^customer \d+ on channel '([^']*)' \(conversation (\d+)\) is '([^']*)'(?:, now linked to '([^']*)')?$/
      .exec(detail);
    if (link) {
      return app.text(link[4] ? 'linkProposedRelink' : 'linkProposedDetail', { channel: link[1], id: link[2],
        externalId: link[3], before: link[4] });
    }
  }
  return detail;
}

/** "bot 2026-11-01..2026-11-30 day agent kim channel app": what was exported, in words. */
function exportText(detail) {
  const found = /^(bot )?(\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d) ([a-z-]+)(.*)$/.exec(detail);
  if (!found) {
    return detail;
  }
  const [, bot, from, to, kind, rest] = found;
  const what = bot ? 'exportBot' : kind === 'agent-status' ? 'exportAgentStatus' : 'exportStats';
  const words = [app.text(what, { from, to }), kind === 'hour' || kind === 'day' ? app.text(kind) : ''];
  const filters = rest.trim().split(' ');
  for (let i = 0; i + 1 < filters.length; i += 2) {
    const label = { agent: 'agent', channel: 'channel', kind: 'channelKind', scenario: 'scenario' }[filters[i]];
    const value = filters[i] === 'kind' ? app.text(`channel${filters[i + 1]}`) : filters[i + 1];
    words.push(label ? `${app.text(label)} ${value}` : `${filters[i]} ${filters[i + 1]}`);
  }
  return words.filter(Boolean).join(', ');
}

/**
 * Where a request came from: the server's own machine (the loopback, as ::1, 0:0:0:0:0:0:0:1 or
 * 127.x) in words; an IPv4 address carried in IPv6 as itself; other IPv6 addresses shortened.
 */
export function addressText(address) {
  if (!address) {
    return '';
  }
  const plain = address.replace(/^\[|\]$/g, '').replace(/^::ffff:/i, '');
  if (/^127\./.test(plain) || /^(0{1,4}:){7}0{0,3}1$/.test(plain) || plain === '::1') {
    return app.text('thisServer');
  }
  if (!plain.includes(':')) {
    return plain;
  }
  // The longest run of zero groups becomes "::" (RFC 5952), leading zeros go.
  const groups = plain.split(':').map((g) => g.replace(/^0+(?=.)/, '').toLowerCase());
  if (groups.length !== 8) {
    return plain;
  }
  let best = [-1, 0];
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') {
      j += 1;
    }
    if (j - i > best[1]) {
      best = [i, j - i];
    }
    i = j === i ? i + 1 : j;
  }
  if (best[1] < 2) {
    return groups.join(':');
  }
  return `${groups.slice(0, best[0]).join(':')}::${groups.slice(best[0] + best[1]).join(':')}`;
}
