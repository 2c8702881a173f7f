// Routes: the rules in force and their version, the catalog with each model's availability, breaker and
// latency, and the last refused change (GET /admin/routes and the breakers, through the console's API).
'use strict';

(() => {
  const { api, el, fill, table, pill, usd, when, count } = Gearbox;

  function action(then) {
    const parts = [];
    if (then.tier) {
      parts.push('tier ' + then.tier);
    }
    if (then.models) {
      parts.push('models ' + then.models.join(', '));
    }
    if (then.strategy && then.strategy !== 'ordered') {
      parts.push(then.strategy);
    }
    if (then.fallbacks) {
      parts.push('fallbacks ' + then.fallbacks.join(', '));
    }
    if (then.max_cost_usd !== null && then.max_cost_usd !== undefined) {
      parts.push('max ' + usd(then.max_cost_usd));
    }
    if (then.timeout_ms) {
      parts.push('timeout ' + then.timeout_ms + ' ms');
    }
    return parts.join(' · ');
  }

  function inForce(routes) {
    const w = routes.difficulty_weights;
    fill('in-force',
      el('h2', { text: 'In force' }),
      el('dl', { class: 'facts' },
        el('dt', { text: 'Version' }), el('dd', { class: 'mono', 'data-field': 'version', text: routes.version }),
        el('dt', { text: 'From' }), el('dd', { 'data-field': 'source', text: routes.source + (routes.reloadable ? ' (reloaded on change)' : ' (built in)') }),
        el('dt', { text: 'Loaded' }), el('dd', { text: when(routes.loaded_at) }),
        el('dt', { text: 'Difficulty weights' }), el('dd', { text: w.source + ' · ' + w.version }),
        el('dt', { text: 'Aliases' }), el('dd', { text: routes.aliases.join(', ') })),
      routes.reloadable ? el('div', { class: 'actions' }, el('button', { id: 'reload', type: 'button', class: 'secondary',
        text: 'Check the directory now', on: { click: (e) => Gearbox.act(e.target, reload) } })) : null);
  }

  function refused(routes) {
    const error = routes.last_error;
    if (!error) {
      fill('refused', el('h2', { text: 'Last refused change' }),
        el('p', { class: 'muted', 'data-field': 'last-error', text: 'None: the newest rule files are the ones in force.' }));
      return;
    }
    fill('refused', el('h2', { text: 'Last refused change' }),
      el('div', { class: 'warn' }, 'A change to the rule files was refused at ' + when(error.at)
        + (error.version ? ' (version ' + error.version + ')' : '') + '; the rules above keep serving.'),
      el('pre', { class: 'problem mono', 'data-field': 'last-error', text: error.message }));
  }

  function rules(routes) {
    fill('rules', table([
      { label: '#', value: (r) => r.index + 1 },
      { label: 'Route', field: 'name', value: (r) => r.name },
      { label: 'Line', num: true, value: (r) => r.line },
      { label: 'When', value: (r) => r.when || 'always (default)' },
      { label: 'Then', value: (r) => action(r.then) },
    ], routes.routes.map((r, index) => Object.assign({ index }, r)), (r) => ({ 'data-route': r.name })));
  }

  function catalog(routes, states) {
    const byId = new Map(states.models.map((m) => [m.id, m]));
    fill('catalog', table([
      { label: 'Model', field: 'id', value: (m) => m.id },
      { label: 'Provider', value: (m) => m.provider },
      { label: 'Tier', value: (m) => (m.tier ? pill(m.tier) : null) },
      { label: 'Available', field: 'available', value: (m) => pill(m.available ? 'yes' : 'no') },
      { label: 'Breaker', field: 'breaker', value: (m) => (byId.has(m.id) ? pill(byId.get(m.id).breaker) : m.kind) },
      { label: 'Calls', num: true, value: (m) => (byId.has(m.id) ? count(byId.get(m.id).calls) : null) },
      { label: 'First token', field: 'first-token', num: true, value: (m) => (byId.has(m.id) ? byId.get(m.id).expected_first_token_ms + ' ms' : null) },
      { label: 'Total', num: true, value: (m) => (byId.has(m.id) ? byId.get(m.id).expected_total_ms + ' ms' : null) },
      { label: 'Input / output per 1M', num: true, value: (m) => usd(m.price.input) + ' / ' + usd(m.price.output) },
      { label: 'Context', num: true, value: (m) => (m.context_window ? count(m.context_window) : null) },
      { label: 'Capabilities', value: (m) => (m.capabilities || []).join(', ') },
    ], routes.models, (m) => ({ 'data-model': m.id })));
  }

  async function load(routes) {
    const states = await api('GET', '/models');
    inForce(routes);
    refused(routes);
    rules(routes);
    catalog(routes, states);
    document.body.dataset.ready = 'true';
  }

  async function reload() {
    await load(await api('POST', '/routes/reload'));
  }

  Gearbox.page(async () => load(await api('GET', '/routes')));
})();
