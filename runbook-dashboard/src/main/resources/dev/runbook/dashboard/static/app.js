// The dashboard's shell: the token, the API, the event stream and the hash router. Data is only ever
// inserted as text (textContent), never as markup.
import * as pages from './pages.js';

const TOKEN_KEY = 'runbook-dashboard-token';
const EVENT_TYPES = ['execution.started', 'guard', 'approval', 'step.started', 'step.finished', 'rollback',
  'execution.finished', 'anomaly'];

export const state = {
  live: new Map(),     // execution id -> {id, incident, runbookId, reasons, last, status}
  events: [],          // the last 200 events, newest first
  lastEventId: 0,
};

function readToken() {
  const m = location.hash.match(/[?&]token=([^&]+)/);
  if (m) {
    sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + location.hash.replace(/[?&]token=[^&]+/, ''));
  }
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

const token = readToken();

/** Calls the API; JSON back, or throws Error(message) with the server's message. */
export async function api(path, options = {}) {
  // Not the Authorization header: a host that mounts the dashboard behind its own login uses that one.
  const headers = Object.assign({ 'X-Runbook-Token': token }, options.headers || {});
  if (options.body) headers['Content-Type'] = 'application/json';
  const r = await fetch('api/' + path, Object.assign({}, options, { headers }));
  const body = await r.json().catch(() => ({}));
  if (r.status === 401) banner('The dashboard needs its token: open the address the host printed (it ends in #/live?token=...).');
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}

export function banner(text) {
  const b = document.getElementById('banner');
  b.textContent = text;
  b.hidden = !text;
}

/** Builds an element: h('td', {class: 'mono'}, 'text', child...). Strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined) continue;
    e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return e;
}

function connect() {
  const status = document.getElementById('sse-status');
  const source = new EventSource('api/events?token=' + encodeURIComponent(token));
  source.onopen = () => { status.textContent = 'live'; status.className = 'badge on'; };
  source.onerror = () => { status.textContent = 'reconnecting'; status.className = 'badge off'; };
  source.addEventListener('hello', e => {
    const d = JSON.parse(e.data);
    if (state.lastEventId === 0) state.lastEventId = d.lastId;
  });
  source.addEventListener('reset', () => pages.refresh());
  for (const type of EVENT_TYPES) {
    source.addEventListener(type, e => {
      state.lastEventId = Number(e.lastEventId);
      const d = JSON.parse(e.data);
      track(type, d);
      state.events.unshift({ id: state.lastEventId, type, data: d });
      if (state.events.length > 200) state.events.pop();
      pages.onEvent(type, d);
    });
  }
  window.addEventListener('beforeunload', () => source.close());
}

/** Keeps the live table's rows up to date from the events. */
function track(type, d) {
  // execution events carry core's ExecutionView keys (execution_id); an approval request its executionId
  const id = d.execution_id || d.executionId;
  if (!id) return;
  let row = state.live.get(id);
  if (type === 'execution.started') {
    row = { id, incident: d.incident, runbookId: d.runbook_id, reasons: d.reasons, status: 'running', last: 'matched' };
    state.live.set(id, row);
    if (state.live.size > 50) state.live.delete(state.live.keys().next().value);
    return;
  }
  if (!row) return;
  row.last = pages.describe(type, d);
  if (type === 'execution.finished') row.status = d.status;
}

function route() {
  const hash = location.hash || '#/live';
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', hash.startsWith(a.getAttribute('href')));
  const main = document.getElementById('main');
  while (main.firstChild) main.removeChild(main.firstChild);
  const m = hash.match(/^#\/executions\/(.+)$/);
  if (m) pages.renderDetail(main, decodeURIComponent(m[1]));
  else if (hash.startsWith('#/runbooks')) pages.renderRunbooks(main);
  else if (hash.startsWith('#/control')) pages.renderControl(main);
  else pages.renderLive(main);
}

window.addEventListener('hashchange', route);
connect();
route();
pages.refreshApprovalCount();
