// Overview: the gateway's own meters over the last minutes or hours, from /console/api/overview.
'use strict';

(() => {
  const { api, el, fill, table, card, pill, usd, pct, count } = Gearbox;
  const REFRESH_MS = 15000;
  let windowName = new URLSearchParams(window.location.search).get('window') || '1h';
  const charts = {};

  function chart(id, overview, series, money) {
    const node = document.getElementById(id);
    if (charts[id]) {
      charts[id].destroy();
    }
    const columns = overview.series_columns;
    const data = [overview.series.map((row) => row[0])];
    for (const s of series) {
      data.push(overview.series.map((row) => row[columns.indexOf(s.column)]));
    }
    charts[id] = new uPlot({
      width: Math.max(320, node.clientWidth),
      height: 220,
      scales: { x: { time: true } },
      legend: { live: false },
      cursor: { drag: { x: false, y: false } },
      series: [{}].concat(series.map((s) => ({ label: s.label, stroke: s.color, fill: s.fill, width: 2, points: { show: false } }))),
      axes: [{ stroke: '#5b6675', grid: { stroke: '#eef1f5' } },
        { stroke: '#5b6675', grid: { stroke: '#eef1f5' }, size: 60, values: money ? (u, ticks) => ticks.map((t) => '$' + Number(t.toPrecision(2))) : undefined }],
    }, data, node);
  }

  function totals(overview) {
    const t = overview.totals;
    const savedShare = t.baseline_usd > 0 ? t.savings_usd / t.baseline_usd : null;
    fill('totals',
      card('Requests', count(t.requests), 'routed to a model', 'requests'),
      card('Spend', usd(t.spend_usd), 'at list prices', 'spend'),
      card('Savings', usd(t.savings_usd), savedShare === null ? 'against every request on the baseline'
        : pct(savedShare) + ' of the all-reasoning baseline', 'savings'),
      card('Reasoning share', pct(t.reasoning_share), 'of requests on the reasoning tier', 'reasoning-share'),
      card('Errors', count(t.errors), count(t.refused) + ' refused (client errors and limits)', 'errors'),
      card('Fallbacks', count(t.fallbacks), 'calls moved on to the next model', 'fallbacks'));
  }

  function byRoute(overview) {
    const total = overview.totals.requests || 0;
    const rows = overview.by_route_model;
    fill('by-route', rows.length === 0 ? el('p', { class: 'muted', text: 'No requests in this window yet.' })
      : table([
        { label: 'Route', field: 'route', value: (r) => r.route },
        { label: 'Model', field: 'model', value: (r) => r.model },
        { label: 'Tier', field: 'tier', value: (r) => pill(r.tier) },
        { label: 'Requests', field: 'requests', num: true, value: (r) => count(r.requests) },
        { label: 'Share', num: true, value: (r) => pct(total ? r.requests / total : null) },
        { label: 'Errors', field: 'errors', num: true, value: (r) => count(r.errors) },
        { label: 'Refused', num: true, value: (r) => count(r.refused) },
        { label: 'Spend', field: 'spend', num: true, value: (r) => usd(r.spend_usd) },
        { label: 'Savings', num: true, value: (r) => usd(r.savings_usd) },
      ], rows, (r) => ({ 'data-route': r.route, 'data-model': r.model })));
  }

  function fallbacks(overview) {
    const rows = Object.entries(overview.fallbacks_by_model).map(([model, n]) => ({ model, n }));
    fill('fallbacks', rows.length === 0 ? el('p', { class: 'muted', text: 'No fallbacks in this window.' })
      : table([{ label: 'Model', value: (r) => r.model }, { label: 'Fallbacks', num: true, value: (r) => count(r.n) }], rows));
  }

  async function quality() {
    const answer = await api('GET', '/quality');
    const routes = answer.on && answer.quality && Array.isArray(answer.quality.routes) ? answer.quality.routes : null;
    if (!routes) {
      fill('quality', el('p', { class: 'muted', 'data-quality': 'off',
        text: 'Shadow judging and feedback are not on: no quality figures to show.' }));
      return;
    }
    const v = (r, name) => (r.verdicts ? r.verdicts[name] : null);
    fill('quality', table([
      { label: 'Route', value: (r) => r.route },
      { label: 'Cheap better', num: true, field: 'cheap_better', value: (r) => count(v(r, 'cheap_better')) },
      { label: 'Tie', num: true, field: 'tie', value: (r) => count(v(r, 'tie')) },
      { label: 'Reasoning better', num: true, field: 'reasoning_better', value: (r) => count(v(r, 'reasoning_better')) },
      { label: 'Feedback', num: true, field: 'feedback', value: (r) => (r.feedback ? count(r.feedback.count) : null) },
      { label: 'Mean', num: true, field: 'feedback-mean', value: (r) => (r.feedback && r.feedback.mean !== null && r.feedback.mean !== undefined ? Number(r.feedback.mean).toFixed(2) : null) },
      { label: 'Shadow spend', num: true, value: (r) => usd(r.shadow_spend_usd) },
    ], routes, (r) => ({ 'data-route': r.route })));
  }

  async function refresh() {
    const overview = await api('GET', '/overview?window=' + encodeURIComponent(windowName));
    for (const button of document.querySelectorAll('[data-window]')) {
      button.setAttribute('aria-pressed', String(button.dataset.window === windowName));
    }
    totals(overview);
    chart('requests-chart', overview, [
      { column: 'requests', label: 'requests', color: '#1f5fbf', fill: 'rgba(31,95,191,0.08)' },
      { column: 'errors', label: 'errors and refusals', color: '#b42318' }], false);
    chart('spend-chart', overview, [
      { column: 'spend_usd', label: 'spend', color: '#7a3fb5', fill: 'rgba(122,63,181,0.08)' },
      { column: 'savings_usd', label: 'savings', color: '#1b7a43' }], true);
    byRoute(overview);
    fallbacks(overview);
    await quality();
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
    document.body.dataset.ready = 'true';
  }

  Gearbox.page(async () => {
    for (const button of document.querySelectorAll('[data-window]')) {
      button.addEventListener('click', () => {
        windowName = button.dataset.window;
        Gearbox.act(button, refresh);
      });
    }
    await refresh();
    window.setInterval(() => Gearbox.act(null, refresh), REFRESH_MS);
  });
})();
