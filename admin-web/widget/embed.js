// One script tag puts the chat on any page:
//   <script src="https://chat.example.com/widget/embed.js" data-tenant="acme" data-center="seoul" async></script>
// It adds a button that opens the widget in a frame served by Sangdam itself, so the page needs
// nothing else and the chat runs on Sangdam's origin.
(() => {
  const script = document.currentScript;
  const origin = new URL(script.src).origin;
  const query = new URLSearchParams({ tenant: script.dataset.tenant || '', center: script.dataset.center || '' });
  for (const key of ['lang', 'name', 'externalId', 'signature']) {
    if (script.dataset[key]) {
      query.set(key, script.dataset[key]);
    }
  }
  // The page's own words win; else the launcher speaks the language the widget is opened in.
  const words = script.dataset.lang === 'en' ? { button: 'Chat with us', frame: 'Chat' }
    : { button: '상담하기', frame: '채팅 상담' };
  const button = document.createElement('button');
  button.type = 'button';
  // A speech bubble drawn inline: an emoji shows as an empty box where the system has no emoji font.
  const svg = 'http://www.w3.org/2000/svg';
  const icon = document.createElementNS(svg, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('width', '20');
  icon.setAttribute('height', '20');
  icon.setAttribute('aria-hidden', 'true');
  icon.setAttribute('focusable', 'false');
  icon.style.cssText = 'vertical-align:middle;margin-right:6px';
  const bubble = document.createElementNS(svg, 'path');
  bubble.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z');
  bubble.setAttribute('fill', 'currentColor');
  icon.append(bubble);
  const label = document.createElement('span');
  label.textContent = script.dataset.label || words.button;
  label.style.verticalAlign = 'middle';
  button.append(icon, label);
  button.setAttribute('aria-expanded', 'false');
  button.style.cssText = 'position:fixed;right:20px;bottom:20px;z-index:2147483646;padding:12px 18px;border:0;'
    + 'border-radius:24px;background:#1f5fbf;color:#fff;font:15px sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.25);cursor:pointer';
  const frame = document.createElement('iframe');
  frame.title = script.dataset.label || words.frame;
  frame.src = `${origin}/widget/?${query}`;
  frame.style.cssText = 'position:fixed;right:20px;bottom:76px;z-index:2147483647;width:min(380px,calc(100vw - 40px));'
    + 'height:min(600px,calc(100vh - 100px));border:1px solid #d9dee7;border-radius:12px;background:#fff;'
    + 'box-shadow:0 4px 16px rgba(0,0,0,.2);display:none';
  button.addEventListener('click', () => {
    const open = frame.style.display === 'none';
    frame.style.display = open ? 'block' : 'none';
    button.setAttribute('aria-expanded', String(open));
  });
  document.body.append(frame, button);
})();
