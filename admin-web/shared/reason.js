// The reason a download or export of personal data asks for (접속기록): a small modal dialog, one line of
// at most 200 characters, kept by the server with the access record. Its words come from the app's own
// string table (reasonTitle, reasonHint, reasonOk, reasonCancel), so it reads in the reader's language.

/** The reason typed, trimmed, or null when the dialog was cancelled. */
export function askReason(text) {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.className = 'reason-dialog';
    const form = document.createElement('form');
    form.method = 'dialog';
    const title = document.createElement('h3');
    title.textContent = text('reasonTitle');
    const label = document.createElement('label');
    const hint = document.createElement('span');
    hint.textContent = text('reasonHint');
    const input = document.createElement('input');
    input.id = 'reason-input';
    input.required = true;
    input.maxLength = 200;
    input.size = 40;
    input.autocomplete = 'off';
    label.append(hint, input);
    const ok = document.createElement('button');
    ok.id = 'reason-ok';
    ok.className = 'primary';
    ok.value = 'ok';
    ok.textContent = text('reasonOk');
    const cancel = document.createElement('button');
    cancel.id = 'reason-cancel';
    cancel.type = 'button';
    cancel.textContent = text('reasonCancel');
    const buttons = document.createElement('div');
    buttons.className = 'buttons';
    buttons.append(ok, cancel);
    form.append(title, label, buttons);
    dialog.append(form);
    document.body.append(dialog);
    cancel.addEventListener('click', () => dialog.close(''));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      if (input.value.trim()) {
        dialog.close('ok');
      }
    });
    dialog.addEventListener('close', () => {
      const reason = dialog.returnValue === 'ok' ? input.value.trim() : null;
      dialog.remove();
      resolve(reason);
    });
    dialog.showModal();
    input.focus();
  });
}
