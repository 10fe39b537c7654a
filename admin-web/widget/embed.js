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
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = script.dataset.label || '💬 상담하기';
  button.setAttribute('aria-expanded', 'false');
  button.style.cssText = 'position:fixed;right:20px;bottom:20px;z-index:2147483646;padding:12px 18px;border:0;'
    + 'border-radius:24px;background:#1f5fbf;color:#fff;font:15px sans-serif;box-shadow:0 2px 8px rgba(0,0,0,.25);cursor:pointer';
  const frame = document.createElement('iframe');
  frame.title = 'chat';
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
