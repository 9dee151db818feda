// Sluice dashboard: the page's parts follow the cluster over Server-Sent Events; confirmations before actions;
// filters applied as you type; ages kept current. Plain JavaScript, no dependencies, served from the dashboard itself.
(() => {
  'use strict';
  const body = document.body;
  let streamUrl = body.dataset.stream;
  let source = null;
  let updates = 0;

  // The link between this page and the dashboard (the server's own region says whether the cluster answers).
  const streamState = document.createElement('span');
  streamState.id = 'stream-state';
  streamState.className = 'stream-state';
  streamState.setAttribute('role', 'status');
  const header = document.querySelector('header.top');
  if (header) header.appendChild(streamState);

  function connect() {
    if (source) source.close();
    if (!streamUrl || !window.EventSource) return;
    source = new EventSource(streamUrl);
    source.addEventListener('open', () => {
      body.dataset.stream_state = 'open';
      streamState.textContent = '';
    });
    source.addEventListener('error', () => {
      body.dataset.stream_state = 'reconnecting';
      streamState.textContent = 'Lost the dashboard; reconnecting…';
    });
    source.addEventListener('region', (event) => {
      const message = JSON.parse(event.data);
      replace(message.id, message.html);
    });
  }

  function replace(id, html) {
    const region = document.getElementById(id);
    if (!region) return;
    const active = document.activeElement;
    const focused = active && region.contains(active) && active.id ? active.id : null;
    const open = [...region.querySelectorAll('details')].map((d) => d.open);
    region.innerHTML = html;
    [...region.querySelectorAll('details')].forEach((d, i) => { if (open[i]) d.open = true; });
    if (focused) {
      const again = document.getElementById(focused);
      if (again) again.focus();
    }
    tickAges(region);
    updates += 1;
    body.dataset.updates = String(updates);
  }

  // Confirmation: an action's button opens the dialog naming what will happen; the dialog's form posts the action.
  const dialog = document.getElementById('confirm');
  let trigger = null;
  document.addEventListener('submit', (event) => {
    const form = event.target;
    const button = form.querySelector('[data-confirm]');
    if (button && dialog && typeof dialog.showModal === 'function') {
      event.preventDefault();
      trigger = button.id;
      const name = (document.querySelector('h1') || {}).textContent || '';
      dialog.querySelector('form').action = button.dataset.action;
      document.getElementById('confirm-title').textContent = `${button.dataset.label} ${name}?`;
      document.getElementById('confirm-intent').textContent = button.dataset.intent;
      const yes = document.getElementById('confirm-yes');
      yes.textContent = button.dataset.label;
      yes.className = button.className;
      dialog.showModal();
      document.getElementById('confirm-no').focus();
      return;
    }
    if (form.hasAttribute('data-live-filter')) {
      event.preventDefault();
      applyFilter(form);
    }
  });
  if (dialog) {
    document.getElementById('confirm-no').addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      const back = trigger && document.getElementById(trigger);
      if (back) back.focus();
    });
  }

  // Filters: the same query the form would submit, applied to the stream and the address bar without a reload.
  let typing = null;
  function applyFilter(form) {
    const query = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (value !== '') query.append(key, String(value));
    const path = new URL(form.action, location.href).pathname;
    const search = query.toString();
    history.replaceState(null, '', path + (search ? `?${search}` : ''));
    streamUrl = `/stream${path}${search ? `?${search}` : ''}`;
    connect();
  }
  document.querySelectorAll('form[data-live-filter]').forEach((form) => {
    form.addEventListener('change', () => applyFilter(form));
    form.addEventListener('input', (event) => {
      if (event.target.type !== 'search') return;
      clearTimeout(typing);
      typing = setTimeout(() => applyFilter(form), 200);
    });
  });

  // Ages as kubectl writes them, kept current between changes.
  function ageText(seconds) {
    const s = Math.max(0, seconds);
    if (s < 120) return `${Math.floor(s)}s`;
    if (s < 7200) return `${Math.floor(s / 60)}m`;
    if (s < 172800) return `${Math.floor(s / 3600)}h`;
    return `${Math.floor(s / 86400)}d`;
  }
  function tickAges(root) {
    const now = Date.now();
    root.querySelectorAll('time[data-age]').forEach((t) => {
      const at = Date.parse(t.getAttribute('datetime'));
      if (!Number.isNaN(at)) t.textContent = ageText((now - at) / 1000);
    });
  }
  setInterval(() => tickAges(document), 5000);

  connect();
})();
