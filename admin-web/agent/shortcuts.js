// Keyboard shortcuts, and the help overlay that lists them (the ? key, or the header's button). Letters are
// read by their key position (event.code), so they work whatever the keyboard is typing (한글 or English).
import { $, el } from './desk.js';

/** Each shortcut: the keys as shown, what it does (a string key), and whether it fires for this event. */
const SHORTCUTS = [
  { keys: 'Alt + ↓', does: 'keyNextChat', match: (e) => e.altKey && e.key === 'ArrowDown' },
  { keys: 'Alt + ↑', does: 'keyPreviousChat', match: (e) => e.altKey && e.key === 'ArrowUp' },
  { keys: '/', does: 'keyCanned', match: (e) => e.key === '/' && !typing(e) },
  { keys: 'Enter', does: 'keySend', match: () => false },
  { keys: 'Shift + Enter', does: 'keyNewLine', match: () => false },
  { keys: 'Alt + N', does: 'keyNote', match: (e) => e.altKey && e.code === 'KeyN' },
  { keys: 'Alt + H', does: 'keyHold', match: (e) => e.altKey && e.code === 'KeyH' },
  { keys: 'Alt + T', does: 'keyTransfer', match: (e) => e.altKey && e.code === 'KeyT' },
  { keys: 'Ctrl + Enter', does: 'keyClose', match: (e) => (e.ctrlKey || e.metaKey) && e.key === 'Enter' },
  { keys: 'Esc', does: 'keyEscape', match: (e) => e.key === 'Escape' },
  { keys: '?', does: 'keyHelp', match: (e) => e.key === '?' && !typing(e) },
];

/** Whether the key goes into a field the agent types in (then / and ? are text, not shortcuts). */
function typing(event) {
  const t = event.target;
  return t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
}

export function shortcuts(desk) {
  const { state, text } = desk;

  const actions = {
    keyNextChat: () => desk.step(1),
    keyPreviousChat: () => desk.step(-1),
    keyCanned: () => desk.startCanned(),
    keyNote: () => desk.toggleNote(),
    keyHold: () => desk.toggleHold(),
    keyTransfer: () => desk.openTransfer(),
    keyClose: () => desk.closeChat(),
    keyEscape: () => {
      // The innermost first: the help, the settings, a dialog, a past chat.
      if (!$('help-dialog').hidden) {
        $('help-dialog').hidden = true;
      } else if (!desk.closeAlerts() && !desk.closeDialogs()) {
        desk.closePast();
      }
    },
    keyHelp: () => toggleHelp(),
  };

  function toggleHelp() {
    render();
    $('help-dialog').hidden = !$('help-dialog').hidden;
    if (!$('help-dialog').hidden) {
      $('help-done').focus();
    }
  }

  function render() {
    $('help-list').replaceChildren(...SHORTCUTS.flatMap((s) => {
      const dt = el('dt');
      dt.append(el('kbd', s.keys));
      return [dt, el('dd', text(s.does))];
    }));
  }

  document.addEventListener('keydown', (event) => {
    if ($('console').hidden || event.isComposing) {
      return;
    }
    const shortcut = SHORTCUTS.find((s) => s.match(event));
    if (!shortcut) {
      return;
    }
    // The chat's own shortcuts need a chat; the help and Esc work always.
    const needsChat = !['keyHelp', 'keyEscape', 'keyNextChat', 'keyPreviousChat'].includes(shortcut.does);
    if (needsChat && state.selected === null) {
      return;
    }
    event.preventDefault();
    actions[shortcut.does]();
  });
  $('help-open').addEventListener('click', toggleHelp);
  $('help-done').addEventListener('click', () => { $('help-dialog').hidden = true; });
  desk.on('relabel', render);
}
