// The chat as text for the customer to copy or save, offered only where the center allows it.
function lines() {
  return [...document.querySelectorAll('#messages li')].map((li) => {
    const time = li.querySelector('time');
    const who = li.querySelector('.who');
    const body = li.querySelector('.body');
    return [time ? `[${time.textContent}]` : '', who ? `${who.textContent}:` : '', body ? body.textContent : li.textContent]
      .filter(Boolean).join(' ');
  }).join('\n');
}

/** Wires every .transcript box's buttons; {@code said} tells the customer what happened, in their language. */
export function offerTranscript(allowed, said) {
  for (const box of document.querySelectorAll('.transcript')) {
    box.hidden = !allowed;
    box.querySelector('.copy').onclick = async () => {
      try {
        await navigator.clipboard.writeText(lines());
        said('transcriptCopied');
      } catch {
        said('transcriptNotCopied');
      }
    };
    box.querySelector('.save').onclick = () => {
      const url = URL.createObjectURL(new Blob([lines()], { type: 'text/plain;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `chat-${new Date().toISOString().slice(0, 10)}.txt`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    };
  }
}
