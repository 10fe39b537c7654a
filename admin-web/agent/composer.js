// Writing to the customer: Enter sends (Shift+Enter is a new line), a text starting with / looks up canned
// responses (상용구) by shortcut or words, and "internal note" makes it a note the customer never sees.
import { $, el } from './desk.js';

export function composer(desk) {
  const { state, text } = desk;
  let canned = [];
  let cannedIndex = 0;
  let typingSentAt = 0;

  function send(event) {
    event.preventDefault();
    const value = $('text').value.trim();
    if (!value || state.selected === null) {
      return;
    }
    if (!$('canned').hidden && canned.length > 0) {
      sendCanned(canned[cannedIndex]);
      return;
    }
    const cmid = crypto.randomUUID();
    if ($('as-note').checked) {
      desk.sendKept({ type: 'note', conversation: state.selected, cmid, text: value });
    } else {
      desk.sendKept({ type: 'send', conversation: state.selected, cmid, text: value }, value);
    }
    $('text').value = '';
  }

  function sendCanned(response) {
    desk.sendKept({ type: 'send', conversation: state.selected, cmid: crypto.randomUUID(), canned: response.id },
      response.text || response.title || '');
    $('text').value = '';
    $('canned').hidden = true;
  }

  function lookUpCanned() {
    const value = $('text').value;
    if (!value.startsWith('/') || $('as-note').checked) {
      $('canned').hidden = true;
      return;
    }
    desk.request({ type: 'canned', q: value }, (c) => {
      if ($('text').value !== value) {
        return;
      }
      canned = c.responses;
      cannedIndex = 0;
      renderCanned();
    });
  }

  function renderCanned() {
    const list = $('canned');
    list.replaceChildren();
    canned.forEach((r, i) => {
      const li = el('li');
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', String(i === cannedIndex));
      li.dataset.shortcut = r.shortcut;
      li.append(document.createTextNode(`${r.shortcut} ${r.title}`));
      li.append(el('span', r.body.length > 40 ? `${r.body.slice(0, 40)}…` : r.body, 'meta'));
      li.addEventListener('click', () => sendCanned(r));
      list.append(li);
    });
    list.hidden = canned.length === 0;
  }

  function placeholder() {
    $('text').placeholder = text($('as-note').checked ? 'notePlaceholder' : 'placeholder');
  }

  /** Switches between a message to the customer and an internal note. */
  function toggleNote() {
    $('as-note').checked = !$('as-note').checked;
    $('as-note').dispatchEvent(new Event('change'));
  }

  $('composer').addEventListener('submit', send);
  $('text').addEventListener('keydown', (event) => {
    if (!$('canned').hidden && (event.key === 'ArrowDown' || event.key === 'ArrowUp') && !event.altKey) {
      event.preventDefault();
      const n = canned.length;
      cannedIndex = (cannedIndex + (event.key === 'ArrowDown' ? 1 : n - 1)) % n;
      renderCanned();
    } else if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.isComposing) {
      send(event);
    } else if (event.key === 'Escape') {
      $('canned').hidden = true;
    }
  });
  $('text').addEventListener('input', () => {
    lookUpCanned();
    if (state.selected !== null && !$('as-note').checked && Date.now() - typingSentAt > 3_000) {
      typingSentAt = Date.now();
      desk.post({ type: 'typing', conversation: state.selected });
    }
  });
  $('as-note').addEventListener('change', () => {
    $('composer').classList.toggle('note', $('as-note').checked);
    placeholder();
  });
  desk.on('relabel', () => {
    $('send').textContent = text('send');
    placeholder();
  });

  desk.toggleNote = toggleNote;
  /** Starts a canned-response look-up from anywhere: the composer gets the focus and a /. */
  desk.startCanned = () => {
    if (state.selected === null) {
      return;
    }
    $('as-note').checked = false;
    $('as-note').dispatchEvent(new Event('change'));
    $('text').value = '/';
    $('text').focus();
    lookUpCanned();
  };
}
