// What-if: an edited rules file, validated by the gateway's own validator and run beside the rules in force
// on recent traffic or uploaded JSON lines. It never writes the rules directory: it shows the diff to commit.
'use strict';

(() => {
  const { api, el, fill, table, card, pill, usd, pct, count } = Gearbox;
  let inForce = null;

  function edit() {
    const models = document.getElementById('models').value;
    return {
      routes: document.getElementById('routes').value,
      models: models === inForce.models ? undefined : models,
    };
  }

  function problems(result) {
    const section = document.getElementById('validation');
    section.hidden = false;
    if (result.valid) {
      section.replaceChildren(el('p', { class: 'ok', 'data-field': 'valid',
        text: 'Valid: the gateway would accept these rules (' + (result.version ? 'version ' + result.version + ', ' : '')
          + (result.routes !== undefined ? result.routes + ' routes' : 'as run below') + ').' }));
      return;
    }
    section.replaceChildren(el('h2', { text: 'The gateway would refuse these rules' }), table([
      { label: 'File', field: 'file', value: (p) => p.file },
      { label: 'Line', field: 'line', num: true, value: (p) => p.line },
      { label: 'Field', field: 'field', value: (p) => (p.field ? el('code', { text: p.field }) : null) },
      { label: 'Problem', field: 'message', value: (p) => p.message },
    ], result.problems, () => ({ 'data-problem': '' })));
  }

  async function traffic() {
    if (!document.getElementById('traffic-upload').checked) {
      return undefined;
    }
    const file = document.getElementById('traffic-file').files[0];
    if (!file) {
      throw new Error('Choose a JSON lines file to upload, or run on recent traffic.');
    }
    return file.text();
  }

  function diffLines(text) {
    return text.split('\n').filter((line, i, all) => i < all.length - 1 || line !== '').map((line) => el('span', {
      class: line.startsWith('@@') ? 'hunk' : line.startsWith('+') && !line.startsWith('+++') ? 'add'
        : line.startsWith('-') && !line.startsWith('---') ? 'del' : null,
    }, line + '\n'));
  }

  function outcome(result) {
    const c = result.comparison;
    const t = result.traffic;
    const change = c.cost_before_usd > 0 ? (c.cost_after_usd / c.cost_before_usd - 1) : null;
    document.getElementById('outcome').hidden = false;
    fill('what-if-totals',
      card('Requests', count(c.requests), t.source === 'sample' ? 'recent, kept in memory' : 'uploaded', 'requests'),
      card('Moved', count(c.tier_changed), count(c.model_changed) + ' to another model', 'moved'),
      card('Cost before', usd(c.cost_before_usd), 'estimated, rules in force', 'cost-before'),
      card('Cost after', usd(c.cost_after_usd), change === null ? 'estimated, this edit'
        : (change >= 0 ? '+' : '') + pct(change) + ' against the rules in force', 'cost-after'));
    const notes = [];
    if (c.guessed > 0) {
      notes.push(el('div', { class: 'warn', 'data-field': 'guessed', text: count(c.guessed) + ' of these requests were decided by a'
        + ' rule that reads text or a header the sample did not keep (console.sample_prompts is off): their outcome is a guess.' }));
    }
    const tiers = c.tiers.map((row) => Object.assign({}, row));
    fill('tiers', notes, table([
      { label: 'Tier', value: (r) => pill(r.tier) },
      { label: 'Before', field: 'before', num: true, value: (r) => count(r.before) + ' · ' + pct(c.requests ? r.before / c.requests : null) },
      { label: 'After', field: 'after', num: true, value: (r) => count(r.after) + ' · ' + pct(c.requests ? r.after / c.requests : null) },
    ], tiers, (r) => ({ 'data-tier': r.tier })));
    const moves = Object.entries(c.moves).map(([move, n]) => ({ move, n }));
    fill('moves', moves.length === 0 ? el('p', { class: 'muted', text: 'No request changes tier.' }) : table([
      { label: 'Move', field: 'move', value: (m) => m.move },
      { label: 'Requests', field: 'count', num: true, value: (m) => count(m.n) },
    ], moves, (m) => ({ 'data-move': m.move })));
    fill('examples', c.examples.length === 0 ? el('p', { class: 'muted', text: 'No request moved.' }) : table([
      { label: 'Request', value: (m) => m.id },
      { label: 'Prompt', value: (m) => m.excerpt || el('span', { class: 'muted', text: 'text not kept' }) },
      { label: 'Before', value: (m) => m.before.route + ' → ' + m.before.model },
      { label: 'After', field: 'after', value: (m) => m.after.route + ' → ' + m.after.model },
    ], c.examples, () => ({ 'data-example': '' })));
    document.getElementById('diff').replaceChildren(...(result.diff ? diffLines(result.diff)
      : [document.createTextNode('No change: these are the rules in force.')]));
  }

  async function validate() {
    problems(await api('POST', '/what-if/validate', edit()));
  }

  async function run() {
    const body = Object.assign(edit(), { traffic: await traffic() });
    const result = await api('POST', '/what-if/run', body);
    problems(result);
    if (result.valid) {
      outcome(result);
    } else {
      document.getElementById('outcome').hidden = true;
    }
    document.body.dataset.ready = 'true';
  }

  function reset() {
    document.getElementById('routes').value = inForce.routes;
    document.getElementById('models').value = inForce.models;
    document.getElementById('validation').hidden = true;
    document.getElementById('outcome').hidden = true;
  }

  Gearbox.page(async () => {
    inForce = await api('GET', '/rules');
    document.getElementById('origin').textContent = 'version ' + inForce.version + ' from ' + inForce.origin;
    const s = inForce.sample;
    document.getElementById('sample-size').textContent = '(' + count(s.requests) + ' of the last ' + count(s.capacity)
      + ' requests kept, ' + (s.keeps_text ? 'with the head of each prompt' : 'without prompt text') + ')';
    reset();
    document.getElementById('traffic-file').addEventListener('change', () => {
      document.getElementById('traffic-upload').checked = true;
    });
    document.getElementById('validate').addEventListener('click', (e) => Gearbox.act(e.target, validate));
    document.getElementById('reset').addEventListener('click', reset);
    document.getElementById('what-if-form').addEventListener('submit', (event) => {
      event.preventDefault();
      Gearbox.act(document.getElementById('run'), run);
    });
  });
})();
