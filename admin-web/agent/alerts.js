// Telling the agent of a new chat or a customer's message when they look elsewhere: a sound, a desktop
// notification and a flashing tab title while the tab is hidden (a new chat also sounds while it is shown).
// Each agent turns sound and desktop notifications on or off; the choice is kept in this browser
// (localStorage, per agent), since it belongs to the desk's machine: its speakers or headset, and the
// browser's own notification permission, which the server cannot know or grant.
import { $ } from './desk.js';

const DEFAULTS = { sound: true, desktop: true };

export function alerts(desk) {
  const { state, text } = desk;
  let flash = null;

  const key = () => `sangdam.agent.alerts.${state.me ? `${state.me.tenant}/${state.me.username}` : ''}`;

  function settings() {
    try {
      return { ...DEFAULTS, ...JSON.parse(localStorage.getItem(key()) || '{}') };
    } catch (e) {
      return { ...DEFAULTS };
    }
  }

  function save(changed) {
    localStorage.setItem(key(), JSON.stringify({ ...settings(), ...changed }));
  }

  function beep() {
    const Audio = window.AudioContext || window.webkitAudioContext;
    try {
      const audio = new Audio();
      const tone = audio.createOscillator();
      tone.frequency.value = 880;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.2);
    } catch (e) {
      // no sound where the browser allows none
    }
  }

  function notify(title, body, tag) {
    const Desktop = window.Notification;
    if (!Desktop || Desktop.permission !== 'granted') {
      return;
    }
    const shown = new Desktop(title, { body, tag });
    shown.onclick = () => {
      window.focus();
      const id = Number(tag.split(':')[1]);
      if (state.chats.has(id)) {
        desk.select(id);
      }
      shown.close();
    };
  }

  function flashTitle() {
    if (flash === null) {
      let on = false;
      flash = setInterval(() => {
        on = !on;
        document.title = on ? text('newAssignment') : text('title');
      }, 800);
    }
  }

  function assigned(view) {
    const chosen = settings();
    if (chosen.sound) {
      beep();
    }
    if (document.hidden) {
      flashTitle();
      if (chosen.desktop) {
        notify(text('notifyAssigned'), desk.customerLabel(view.customer), `chat:${view.id}`);
      }
    }
  }

  function customerMessage(chat, m) {
    if (!document.hidden) {
      return;
    }
    const chosen = settings();
    flashTitle();
    if (chosen.sound) {
      beep();
    }
    if (chosen.desktop) {
      notify(text('notifyMessage', { customer: desk.customerLabel(chat.view.customer) }),
        m.attachment ? `📎 ${m.attachment.name}` : m.text, `chat:${chat.view.id}`);
    }
  }

  function renderSettings() {
    const chosen = settings();
    $('alert-sound').checked = chosen.sound;
    $('alert-desktop').checked = chosen.desktop;
    const Desktop = window.Notification;
    $('alert-permission').textContent = !Desktop ? text('desktopUnsupported')
      : Desktop.permission === 'denied' ? text('desktopDenied') : '';
  }

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && flash !== null) {
      clearInterval(flash);
      flash = null;
      document.title = text('title');
    }
  });
  $('alerts-open').addEventListener('click', () => {
    renderSettings();
    $('alerts-dialog').hidden = !$('alerts-dialog').hidden;
  });
  $('alerts-done').addEventListener('click', () => { $('alerts-dialog').hidden = true; });
  $('alert-sound').addEventListener('change', () => save({ sound: $('alert-sound').checked }));
  $('alert-desktop').addEventListener('change', async () => {
    save({ desktop: $('alert-desktop').checked });
    // The browser asks the agent once, on this click: a permission asked for unprompted is refused.
    if ($('alert-desktop').checked && window.Notification && window.Notification.permission === 'default') {
      await window.Notification.requestPermission();
    }
    renderSettings();
  });

  desk.on('assigned', assigned);
  desk.on('customerMessage', customerMessage);
  desk.on('relabel', renderSettings);
  desk.closeAlerts = () => {
    const wasOpen = !$('alerts-dialog').hidden;
    $('alerts-dialog').hidden = true;
    return wasOpen;
  };
}
