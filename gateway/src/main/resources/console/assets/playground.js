// Playground: a request, with optional budget headers and key, and the decision explain gives for it
// (POST /admin/routes/explain through the console's API): route, tier, model, effort, difficulty and its
// signals, estimated cost, fallbacks, and why each route applied or not.
'use strict';

(() => {
  const { api, el, fill, table, pill, usd } = Gearbox;
  let mode = 'prompt';

  function setMode(next) {
    mode = next;
    for (const button of document.querySelectorAll('[data-mode]')) {
      button.setAttribute('aria-pressed', String(button.dataset.mode === mode));
    }
    document.getElementById('prompt-label').hidden = mode !== 'prompt';
    document.getElementById('body-label').hidden = mode !== 'body';
    if (mode === 'body' && !document.getElementById('body').value.trim()) {
      document.getElementById('body').value = JSON.stringify(requestBody('prompt'), null, 2);
    }
  }

  function requestBody(from) {
    if (from === 'body') {
      try {
        return JSON.parse(document.getElementById('body').value);
      } catch (e) {
        throw new Error('The chat body is not JSON: ' + e.message);
      }
    }
    return {
      model: document.getElementById('model').value.trim() || 'auto',
      messages: [{ role: 'user', content: document.getElementById('prompt').value }],
    };
  }

  function headers() {
    const out = {};
    const maxCost = document.getElementById('max-cost').value.trim();
    const latency = document.getElementById('latency-budget').value.trim();
    const as = document.getElementById('explain-as').value;
    const key = document.getElementById('caller-key').value.trim();
    if (maxCost) {
      out['x-gearbox-max-cost-usd'] = maxCost;
    }
    if (latency) {
      out['x-gearbox-latency-budget-ms'] = latency;
    }
    if (as) {
      out['x-gearbox-explain-as'] = as;
    }
    if (key) {
      out['x-gearbox-api-key'] = key.startsWith('Bearer ') ? key : 'Bearer ' + key;
    }
    return out;
  }

  /** A fact of the decision; its dd keeps the value explain gave as JSON in data-value, beside the text shown. */
  function fact(label, field, value, raw) {
    return [el('dt', { text: label }), el('dd', { 'data-field': field, 'data-value': JSON.stringify(raw === undefined ? null : raw) },
      value === null || value === undefined ? '–' : value)];
  }

  function decision(x) {
    if (x.refused) {
      const r = x.refused;
      fill('decision', el('h2', { text: 'Refused before routing' }),
        el('div', { class: 'warn', 'data-field': 'refused', text: r.status + ' ' + r.code + ': ' + r.message }),
        el('dl', { class: 'facts' }, fact('Tenant', 'tenant', x.tenant), fact('Rules', 'rules_version', x.rules_version)));
      return;
    }
    if (x.error) {
      fill('decision', el('h2', { text: 'No model for this request' }),
        el('div', { class: 'warn', 'data-field': 'error', text: x.error.kind + ': ' + x.error.message }));
      return;
    }
    fill('decision', el('h2', { text: 'Decision' }),
      el('dl', { class: 'facts' },
        fact('Route', 'route', x.route, x.route),
        fact('Tier', 'tier', x.tier ? pill(x.tier) : null, x.tier),
        fact('Model', 'model', x.model, x.model),
        fact('Provider', 'provider', x.provider, x.provider),
        fact('Effort', 'effort', x.effort ? x.effort + ' (from the ' + x.effort_from + ')' : 'none set', x.effort),
        fact('Difficulty', 'difficulty', x.difficulty === null || x.difficulty === undefined ? null : Number(x.difficulty).toFixed(3),
          x.difficulty),
        fact('Estimated cost', 'estimated_cost_usd', usd(x.estimated_cost_usd), x.estimated_cost_usd),
        fact('Fallbacks', 'fallbacks', x.fallbacks && x.fallbacks.length ? x.fallbacks.join(', ') : 'none', x.fallbacks),
        fact('Prompt tokens', 'prompt_tokens', x.prompt_tokens, x.prompt_tokens),
        fact('Deadline', 'deadline_ms', x.deadline_ms ? x.deadline_ms + ' ms' : 'the provider\'s timeouts', x.deadline_ms),
        fact('Cache', 'cache', x.cache, x.cache),
        fact('Note', 'note', x.note, x.note),
        fact('Tenant', 'tenant', x.tenant, x.tenant),
        fact('Rules', 'rules_version', x.rules_version, x.rules_version)));
  }

  function reasons(x) {
    const list = x.difficulty_reasons || [];
    fill('reasons', list.length === 0 ? el('p', { class: 'muted', text: 'No signals.' }) : table([
      { label: 'Signal', value: (r) => r.name + (r.kind !== 'signal' && r.kind !== 'word' ? ' (' + r.kind + ')' : '') },
      { label: 'Matched', value: (r) => (r.matched ? r.matched.join(', ') : null) },
      { label: 'Contribution', num: true, value: (r) => (r.contribution > 0 ? '+' : '') + r.contribution.toFixed(3) },
    ], list));
  }

  function candidates(x) {
    const list = x.candidates || [];
    fill('candidates', list.length === 0 ? el('p', { class: 'muted', text: 'None considered.' }) : table([
      { label: 'Model', value: (c) => c.model },
      { label: 'Status', field: 'status', value: (c) => pill(c.status) },
      { label: 'Estimated cost', num: true, value: (c) => usd(c.estimated_cost_usd) },
      { label: 'Latency', num: true, value: (c) => c.expected_latency_ms + ' ms' },
      { label: 'Why', value: (c) => c.reason },
    ], list, (c) => ({ 'data-candidate': c.model })));
  }

  function trace(x) {
    const list = x.rules || [];
    fill('trace', list.length === 0 ? el('p', { class: 'muted', text: 'No route was tried.' }) : table([
      { label: 'Route', value: (r) => r.name },
      { label: 'Line', num: true, value: (r) => r.line },
      { label: 'Applied', field: 'matched', value: (r) => pill(r.matched ? 'yes' : 'no') },
      { label: 'Why', value: (r) => r.reason },
    ], list, (r) => ({ 'data-route': r.name })));
  }

  async function explain() {
    const body = requestBody(mode);
    const explained = await api('POST', '/explain', body, headers());
    document.getElementById('result').hidden = false;
    decision(explained);
    reasons(explained);
    candidates(explained);
    trace(explained);
    document.getElementById('result').dataset.requestId = String(Date.now());
    document.body.dataset.ready = 'true';
  }

  async function fillExplainAs() {
    const [keys, teams] = await Promise.all([api('GET', '/keys'), api('GET', '/teams')]);
    const select = document.getElementById('explain-as');
    select.append(el('option', { value: 'anonymous', text: 'anonymous (a caller without a key)' }));
    for (const t of teams.data) {
      select.append(el('option', { value: t.id, text: 'team ' + t.id }));
    }
    for (const k of keys.data.filter((k) => !k.revoked_at)) {
      select.append(el('option', { value: k.id, text: 'key ' + k.id + (k.name ? ' (' + k.name + ')' : '') + ' of ' + k.team }));
    }
  }

  Gearbox.page(async () => {
    for (const button of document.querySelectorAll('[data-mode]')) {
      button.addEventListener('click', () => {
        try {
          setMode(button.dataset.mode);
        } catch (error) {
          Gearbox.showError(error);
        }
      });
    }
    setMode('prompt');
    document.getElementById('explain-form').addEventListener('submit', (event) => {
      event.preventDefault();
      Gearbox.act(document.getElementById('explain'), explain);
    });
    await fillExplainAs();
  });
})();
