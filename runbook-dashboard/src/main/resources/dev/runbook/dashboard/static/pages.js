// The four views: live, execution detail, runbooks with charts, control.
import { api, h, state, banner } from './app.js';
import { barChart } from './chart.js';

let current = { name: '', refresh: () => {} };
let historyPage = 0;

/** One line for an event. */
export function describe(type, d) {
  switch (type) {
    case 'execution.started': return `incident ${d.incident.id} (${d.incident.rootCause} ${d.incident.confidence}) -> ${d.runbook_id || 'no runbook'}`;
    case 'guard': return `guard ${d.guard}: ${d.allowed ? 'allow' : 'DENY'} - ${d.reason}`;
    case 'approval': return `approval requested for ${d.runbookId}`;
    case 'step.started': return `${d.phase} step '${d.name}' (${d.action}) started`;
    case 'step.finished': return `${d.phase} step '${d.name}' ${d.status} in ${d.duration}${d.error ? ': ' + d.error : ''}`;
    case 'rollback': return `rollback started: ${d.reason}`;
    case 'execution.finished': return `finished ${d.status} in ${d.duration}` + (d.notifications ? `, ${d.notifications} notification(s)` : '');
    default: return `${type}: ${JSON.stringify(d)}`;
  }
}

// Redraws are coalesced: a burst of events (an incident storm) costs one redraw per 100 ms, not one per event.
const pending = { timer: null, live: false, history: false, control: false, detail: false, count: false };

function schedule(what) {
  pending[what] = true;
  if (pending.timer) return;
  pending.timer = setTimeout(() => {
    pending.timer = null;
    if (pending.live && current.name === 'live') drawLive();
    if (pending.history && current.name === 'live' && historyPage === 0) loadHistory();
    if ((pending.control && current.name === 'control') || (pending.detail && current.name === 'detail')) current.refresh();
    if (pending.count) refreshApprovalCount();
    for (const k of ['live', 'history', 'control', 'detail', 'count']) pending[k] = false;
  }, 100);
}

export function onEvent(type, d) {
  schedule('live');
  if (type === 'execution.finished') schedule('history');
  if (type === 'approval' || type === 'execution.finished') { schedule('control'); schedule('count'); }
  if (type === 'execution.finished' && current.name === 'detail' && d.execution_id === current.id) schedule('detail');
}

export function refresh() { current.refresh(); }

export async function refreshApprovalCount() {
  try {
    const c = await api('control');
    document.getElementById('nav-approvals-count').textContent = c.approvals.length ? `(${c.approvals.length})` : '';
  } catch (e) { /* shown by api() */ }
}

function table(id, headers, rows) {
  return h('table', { id }, h('thead', {}, h('tr', {}, headers.map(x => h('th', {}, x)))), h('tbody', {}, rows));
}

function statusCell(s) { return h('td', { class: 'status-' + s }, s); }

// ---- live ----
export function renderLive(main) {
  current = { name: 'live', refresh: () => { drawLive(); loadHistory(); } };
  main.append(
    h('section', {}, h('h2', {}, 'Live executions'),
      table('live', ['execution', 'incident', 'runbook', 'match', 'latest', 'status'], [])),
    h('section', {}, h('h2', {}, 'History'),
      table('history', ['started', 'execution', 'incident', 'root cause', 'runbook', 'status', 'duration'], []),
      h('div', { class: 'pager' },
        h('button', { id: 'first', onclick: () => { historyPage = 0; loadHistory(); } }, '« newest'),
        h('button', { id: 'prev', onclick: () => { historyPage = Math.max(0, historyPage - 1); loadHistory(); } }, '‹ newer'),
        h('span', { id: 'page-info' }),
        h('button', { id: 'next', onclick: () => { historyPage++; loadHistory(); } }, 'older ›'),
        h('button', { id: 'last', onclick: () => { historyPage = -1; loadHistory(); } }, 'oldest »'))),
    h('section', {}, h('h2', {}, 'Events'), h('ol', { id: 'events', class: 'events', reversed: true })));
  drawLive();
  loadHistory();
}

function link(id) { return h('a', { href: '#/executions/' + encodeURIComponent(id) }, id); }

function drawLive() {
  const body = document.querySelector('#live tbody');
  if (!body) return;
  body.replaceChildren(...[...state.live.values()].reverse().map(r => h('tr', { 'data-execution-id': r.id },
    h('td', {}, link(r.id)), h('td', {}, `${r.incident.id} ${r.incident.resource}`),
    h('td', {}, r.runbookId || '-'), h('td', { class: 'mono' }, (r.reasons || []).join('; ')),
    h('td', {}, r.last), statusCell(r.status))));
  const list = document.getElementById('events');
  list.replaceChildren(...state.events.slice(0, 100).map(e => h('li', { value: e.id, 'data-type': e.type },
    `${e.data.execution_id || e.data.executionId || ''} ${describe(e.type, e.data)}`)));
}

async function loadHistory() {
  const size = 25;
  let page = historyPage;
  if (page < 0) {
    const first = await api(`executions?page=0&size=${size}`);
    page = historyPage = first.pages - 1;
  }
  const p = await api(`executions?page=${page}&size=${size}`);
  const body = document.querySelector('#history tbody');
  if (!body) return;
  if (p.items.length === 0 && page > 0) { historyPage = p.pages - 1; return loadHistory(); }
  body.replaceChildren(...p.items.map(e => h('tr', { 'data-execution-id': e.execution_id },
    h('td', {}, e.started_at.replace('T', ' ').replace(/\..*Z|Z/, '')), h('td', {}, link(e.execution_id)),
    h('td', {}, `${e.incident_id} ${e.resource}`), h('td', {}, e.root_cause_reason), h('td', {}, e.runbook_id || '-'),
    statusCell(e.status), h('td', {}, e.duration))));
  document.getElementById('page-info').textContent = `page ${p.page + 1} of ${p.pages} (${p.total} executions)`;
}

// ---- execution detail ----
export function renderDetail(main, id) {
  current = { name: 'detail', id, refresh: () => { main.replaceChildren(); renderDetail(main, id); } };
  const holder = h('div', { id: 'detail' }, h('p', {}, 'loading ' + id));
  main.append(holder);
  api('executions/' + encodeURIComponent(id)).then(e => holder.replaceChildren(...detail(e))).catch(err => {
    const seen = state.events.filter(x => x.data.execution_id === id).reverse();
    holder.replaceChildren(h('section', {}, h('h2', {}, 'Execution ' + id), h('p', {}, err.message),
      h('ol', { class: 'events' }, seen.map(x => h('li', {}, describe(x.type, x.data))))));
  });
}

/** A value of a view as text: text as it is, anything else (params, an output) as its JSON. */
function text(v) { return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v); }

function steps(id, list) {
  return table(id, ['step', 'action', 'status', 'params (secrets masked)', 'output / error', 'attempts', 'time'],
    list.map(s => h('tr', {}, h('td', {}, s.name), h('td', {}, s.action), statusCell(s.status),
      h('td', { class: 'mono' }, text(s.params)), h('td', { class: 'mono' }, s.error || text(s.output) || s.summary),
      h('td', {}, s.attempts), h('td', {}, s.duration))));
}

function detail(e) {
  const i = e.incident;
  return [
    h('section', { id: 'summary' }, h('h2', {}, 'Execution ', e.execution_id),
      h('dl', {}, h('dt', {}, 'status'), h('dd', { class: 'status-' + e.status, id: 'detail-status' }, e.status),
        h('dt', {}, 'runbook'), h('dd', {}, `${e.runbook_id || '-'} ${e.runbook_version}`),
        h('dt', {}, 'incident'), h('dd', {}, `${i.incident_id}: ${i.symptom_reason} on ${e.resource}, root cause ${i.root_cause_reason} at ${i.rca_confidence}`),
        h('dt', {}, 'started'), h('dd', {}, e.started_at), h('dt', {}, 'took'), h('dd', {}, e.duration),
        h('dt', {}, 'executed by'), h('dd', {}, e.executed_by),
        h('dt', {}, 'approval'), h('dd', { id: 'detail-approval' }, e.approval
          ? `${e.approval.approved ? 'approved' : 'denied'} by ${e.approval.approver}: ${e.approval.reason}` : '-'),
        h('dt', {}, 'error'), h('dd', {}, e.error || '-'))),
    h('section', {}, h('h2', {}, 'Match'),
      table('matches', ['runbook', 'matched', 'why'], e.match.matches.map(m => h('tr', {},
        h('td', {}, m.runbook_id + (m.runbook_id === e.match.chosen ? ' (chosen)' : '')), h('td', { class: 'allow' }, 'yes'),
        h('td', { class: 'mono' }, m.why)))),
      h('h3', {}, 'Near misses'),
      table('near-misses', ['runbook', 'criteria held', 'why not'], [...e.match.rejected]
        .sort((a, b) => b.passed - a.passed).slice(0, 10).map(m => h('tr', {}, h('td', {}, m.runbook_id),
          h('td', {}, `${m.passed} of ${m.criteria.length}`), h('td', { class: 'mono deny' }, m.why))))),
    h('section', {}, h('h2', {}, 'Guard decisions'),
      table('guards', ['guard', 'decision', 'reason'], e.guard_decisions.map(g => h('tr', {}, h('td', {}, g.guard),
        h('td', { class: g.allowed ? 'allow' : 'deny' }, g.allowed ? 'allow' : 'deny'), h('td', {}, g.reason))))),
    h('section', {}, h('h2', {}, 'Dry run'), steps('dry-run', e.dry_run_steps)),
    h('section', {}, h('h2', {}, 'Steps'), steps('steps', e.steps)),
    h('section', {}, h('h2', {}, 'Rollback'), steps('rollback', e.rollback_steps)),
    h('section', {}, h('h2', {}, 'Actions taken and notifications'),
      h('ul', { id: 'actions' }, e.actions_taken.map(a => h('li', {}, a))),
      table('notifications', ['channel', 'sent', 'message'], e.notifications.map(n => h('tr', {},
        h('td', {}, n.channel), h('td', {}, n.sent ? 'yes' : 'no: ' + (n.error || '')), h('td', { class: 'mono' }, n.message))))),
  ];
}

// ---- runbooks ----
export function renderRunbooks(main) {
  current = { name: 'runbooks', refresh: () => { main.replaceChildren(); renderRunbooks(main); } };
  const charts = h('section', { class: 'charts' }, h('h2', {}, 'Record'), h('p', { id: 'stats-source' }),
    h('div', { class: 'grid' },
      h('div', {}, h('h3', {}, 'Success rate per runbook'), svg('chart-success')),
      h('div', {}, h('h3', {}, 'Mean duration per runbook'), svg('chart-duration')),
      h('div', {}, h('h3', {}, 'Mean time to remediation per runbook'), svg('chart-mttr')),
      h('div', {}, h('h3', {}, 'Success rate per root cause'), svg('chart-rootcause'))));
  const library = h('section', { id: 'library' }, h('h2', {}, 'Library'));
  main.append(charts, library);
  api('stats').then(s => {
    document.getElementById('stats-source').textContent = 'Figures: ' + s.source + '.';
    const pct = v => Math.round(v * 100) + '%';
    const ms = v => v >= 1000 ? (v / 1000).toFixed(1) + ' s' : v + ' ms';
    barChart(document.getElementById('chart-success'), s.perRunbook.map(f => ({ label: f.key, value: f.successRate })), { max: 1, format: pct });
    barChart(document.getElementById('chart-duration'), s.perRunbook.map(f => ({ label: f.key, value: f.meanDurationMs })), { format: ms });
    barChart(document.getElementById('chart-mttr'), s.perRunbook.map(f => ({ label: f.key, value: f.meanTimeToRemediationMs })), { format: ms });
    barChart(document.getElementById('chart-rootcause'), s.perRootCause.map(f => ({ label: f.key || '(none)', value: f.successRate })), { max: 1, format: pct });
  }).catch(err => banner(err.message));
  api('runbooks').then(r => library.append(...r.runbooks.map(runbookCard))).catch(err => banner(err.message));
}

function svg(id) {
  const e = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  e.setAttribute('id', id);
  return e;
}

function fields(obj) {
  return h('dl', {}, Object.entries(obj).flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: 'mono' }, text(v))]));
}

function stepList(list) {
  return h('ol', {}, list.map(s => h('li', {}, h('b', {}, s.name), ` ${s.action} `,
    s.params ? h('span', { class: 'mono' }, s.params) : null, s.when ? ` when ${s.when}` : '', s.expect ? ` expect ${s.expect}` : '',
    s.then ? h('div', {}, 'if ' + s.if, stepList(s.then), s.else.length ? h('div', {}, 'else', stepList(s.else)) : null) : null)));
}

function runbookCard(rb) {
  return h('div', { class: 'runbook', 'data-runbook-id': rb.id },
    h('h3', {}, `${rb.id} v${rb.version}: ${rb.name}`, rb.enabled ? '' : ' (disabled)'),
    rb.description ? h('p', {}, rb.description) : null,
    h('div', { class: 'grid' }, h('div', {}, h('b', {}, 'trigger'), fields(rb.trigger)),
      h('div', {}, h('b', {}, 'safety'), fields(rb.safety))),
    h('b', {}, 'steps'), stepList(rb.steps),
    rb.rollback.length ? [h('b', {}, 'rollback'), stepList(rb.rollback)] : null);
}

// ---- control ----
export function renderControl(main) {
  const holder = h('div', { id: 'control' });
  current = { name: 'control', refresh: () => load() };
  main.append(holder);
  let confirmBox = null;
  const message = h('p', { id: 'control-message' });
  const nameInput = h('input', { id: 'approver-name', placeholder: 'your name', autocomplete: 'name' });
  const reasonInput = h('input', { id: 'kill-reason', placeholder: 'why', size: 40 });

  function confirmThen(text, action) {
    if (confirmBox) confirmBox.remove();
    confirmBox = h('div', { class: 'confirm', id: 'confirm' }, h('span', { id: 'confirm-text' }, text, ' '),
      h('button', { id: 'confirm-yes', class: 'danger', onclick: async () => {
        confirmBox.remove(); confirmBox = null;
        try { message.textContent = await action(); } catch (e) { message.textContent = e.message; }
        load();
      } }, 'Confirm'),
      h('button', { id: 'confirm-no', onclick: () => { confirmBox.remove(); confirmBox = null; } }, 'Cancel'));
    holder.prepend(confirmBox);
  }

  function post(path, body) {
    return api(path, { method: 'POST', body: JSON.stringify(Object.assign({ confirm: true, name: nameInput.value }, body)) });
  }

  const killSection = h('section', {}, h('h2', {}, 'Kill switch'), h('p', { id: 'kill-state' }), reasonInput, ' ',
    h('button', { id: 'kill-engage', class: 'danger', onclick: () => confirmThen('Stop every new execution?',
      async () => { const r = await post('control/kill-switch', { engage: true, reason: reasonInput.value }); return 'kill switch engaged: ' + r.reason; }) }, 'Engage'),
    ' ', h('button', { id: 'kill-release', onclick: () => confirmThen('Let new executions run again?',
      async () => { await post('control/kill-switch', { engage: false }); return 'kill switch released'; }) }, 'Release'));
  const approvalsList = h('div', { id: 'approvals' });
  holder.append(h('section', {}, h('h2', {}, 'You'), h('label', {}, 'Approve as ', nameInput), message),
    killSection, h('section', {}, h('h2', {}, 'Pending approvals'), approvalsList),
    h('section', {}, h('h2', {}, 'Pause / resume'), h('p', {}, 'Not available yet: it comes with the auto-pause feature.')));

  function answer(req, decision) {
    confirmThen(`${decision === 'approve' ? 'Approve' : 'Deny'} ${req.runbookId} for incident ${req.incident.id} as ${nameInput.value || '(no name)'}?`,
      async () => { const r = await post('approvals/' + encodeURIComponent(req.executionId), { decision });
        return `${r.decision === 'approve' ? 'approved' : 'denied'} execution ${r.executionId} as ${r.approver}`; });
  }

  async function load() {
    const c = await api('control').catch(e => { message.textContent = e.message; return null; });
    if (!c) return;
    if (c.principal) { nameInput.value = c.principal; nameInput.disabled = true; }
    const ks = document.getElementById('kill-state');
    ks.textContent = c.killSwitch.engaged ? 'ENGAGED: ' + c.killSwitch.reason : 'off: executions run';
    ks.className = c.killSwitch.engaged ? 'deny' : 'allow';
    approvalsList.replaceChildren(...(c.approvals.length === 0
      ? [h('p', {}, c.approvalsEnabled ? 'None waiting.' : 'The host answers approvals elsewhere.')]
      : c.approvals.map(r => h('div', { class: 'approval', 'data-execution-id': r.executionId },
        h('h3', {}, `${r.runbookId} v${r.runbookVersion} for incident ${r.incident.id} (${r.incident.rootCause} ${r.incident.confidence}) on ${r.incident.resource}`),
        h('ol', {}, r.plannedSteps.map(s => h('li', { class: 'mono' }, s))),
        h('p', {}, `touches ${r.blastRadius} resource(s); requested ${r.requestedAt}`),
        h('button', { class: 'approve primary', onclick: () => answer(r, 'approve') }, 'Approve'), ' ',
        h('button', { class: 'deny danger', onclick: () => answer(r, 'deny') }, 'Deny')))));
  }
  load();
}
