// Keys and teams: list, create (a new key's secret shown once), change limits and budgets, revoke, and spend
// against budget per team and key, from the usage ledger (the admin API's /admin/keys, /admin/teams and
// /admin/usage through the console's API).
'use strict';

(() => {
  const { api, el, fill, table, pill, usd, count, when } = Gearbox;
  let editingTeam = null;

  function list(text) {
    const items = text.split(',').map((s) => s.trim()).filter((s) => s);
    return items.length ? items : undefined;
  }

  function number(id) {
    const text = document.getElementById(id).value.trim();
    if (!text) {
      return undefined;
    }
    const value = Number(text);
    if (!Number.isFinite(value)) {
      throw new Error(id.replace(/-/g, ' ') + ': ' + text + ' is not a number');
    }
    return value;
  }

  function spend(spent, budget) {
    if (budget === null || budget === undefined) {
      return el('span', null, usd(spent), el('span', { class: 'muted', text: ' · no budget' }));
    }
    const share = budget > 0 ? spent / budget : 1;
    const meter = el('div', { class: 'bar-meter' + (share >= 1 ? ' over' : '') }, el('span'));
    meter.firstChild.style.width = Math.min(100, 100 * share).toFixed(1) + '%';
    return el('div', null, usd(spent) + ' of ' + usd(budget), meter);
  }

  function policy(item) {
    const parts = [];
    if (item.models && item.models.length) {
      parts.push('models ' + item.models.join(', '));
    }
    if (item.rpm) {
      parts.push(count(item.rpm) + ' rpm');
    }
    if (item.tpm) {
      parts.push(count(item.tpm) + ' tpm');
    }
    if (item.max_concurrent) {
      parts.push(item.max_concurrent + ' at once');
    }
    return parts.length ? parts.join(' · ') : 'no limits';
  }

  async function usage() {
    const today = await api('GET', '/usage?group_by=key');
    const month = await api('GET', '/usage?group_by=key&from=' + today.to.substring(0, 8) + '01&to=' + today.to);
    const byKey = (answer) => new Map((answer.groups || []).map((g) => [g.key, g.spend_usd]));
    return { today: byKey(today), month: byKey(month) };
  }

  function teamsTable(teams, keys, spent) {
    const sum = (map, team) => keys.filter((k) => k.team === team).reduce((total, k) => total + (map.get(k.id) || 0), 0);
    fill('teams', teams.length === 0 ? el('p', { class: 'muted', text: 'No teams yet.' }) : table([
      { label: 'Team', field: 'id', value: (t) => t.id },
      { label: 'From', value: (t) => t.source },
      { label: 'Limits', field: 'limits', value: (t) => policy(t) },
      { label: 'Today', field: 'today', value: (t) => spend(sum(spent.today, t.id), t.budget_usd.daily) },
      { label: 'This month', field: 'month', value: (t) => spend(sum(spent.month, t.id), t.budget_usd.monthly) },
      { label: 'On budget', value: (t) => t.on_budget },
      { label: '', value: (t) => (t.source === 'admin' ? el('button', { type: 'button', class: 'secondary', 'data-edit-team': t.id,
        text: 'Edit limits', on: { click: () => editTeam(t) } }) : el('span', { class: 'muted', text: 'in the config' })) },
    ], teams, (t) => ({ 'data-team': t.id })));
  }

  function keysTable(keys, spent) {
    fill('keys', keys.length === 0 ? el('p', { class: 'muted', text: 'No keys yet.' }) : table([
      { label: 'Key', field: 'id', value: (k) => el('code', { text: k.id }) },
      { label: 'Name', value: (k) => k.name },
      { label: 'Team', field: 'team', value: (k) => k.team },
      { label: 'Limits', value: (k) => policy(k) },
      { label: 'Today', field: 'today', value: (k) => spend(spent.today.get(k.id) || 0, k.budget_usd.daily) },
      { label: 'This month', value: (k) => spend(spent.month.get(k.id) || 0, k.budget_usd.monthly) },
      { label: 'Created', value: (k) => (k.source === 'config' ? 'in the config' : when(k.created_at)) },
      { label: 'State', field: 'state', value: (k) => (k.revoked_at ? pill('revoked', 'error') : k.expires_at ? 'expires ' + when(k.expires_at) : pill('active', 'yes')) },
      { label: '', value: (k) => (k.source === 'admin' && !k.revoked_at ? el('button', { type: 'button', class: 'danger',
        'data-revoke': k.id, text: 'Revoke', on: { click: (e) => Gearbox.act(e.target, () => revoke(k)) } }) : null) },
    ], keys, (k) => ({ 'data-key': k.id })));
  }

  async function refresh() {
    const [keys, teams, spent] = await Promise.all([api('GET', '/keys'), api('GET', '/teams'), usage()]);
    // A config key's tenant is a team too, with no limits of its own: listed so its spend shows.
    const known = new Set(teams.data.map((t) => t.id));
    const tenants = [...new Set(keys.data.map((k) => k.team))].filter((id) => !known.has(id))
      .map((id) => ({ id, source: 'config key', models: [], budget_usd: {}, on_budget: '–' }));
    teamsTable(teams.data.concat(tenants), keys.data, spent);
    keysTable(keys.data, spent);
    const select = document.getElementById('key-team');
    const chosen = select.value;
    const names = new Set(teams.data.map((t) => t.id));
    keys.data.forEach((k) => names.add(k.team));
    select.replaceChildren(...[...names].sort().map((id) => el('option', { value: id, text: id })));
    if (names.has(chosen)) {
      select.value = chosen;
    }
    document.body.dataset.ready = 'true';
  }

  function editTeam(team) {
    editingTeam = team.id;
    document.getElementById('team-id').value = team.id;
    document.getElementById('team-id').disabled = true;
    document.getElementById('team-models').value = (team.models || []).join(', ');
    document.getElementById('team-rpm').value = team.rpm || '';
    document.getElementById('team-daily').value = team.budget_usd.daily ?? '';
    document.getElementById('team-monthly').value = team.budget_usd.monthly ?? '';
    document.getElementById('create-team').textContent = 'Save ' + team.id;
    document.getElementById('team-form').scrollIntoView();
  }

  function resetTeamForm() {
    editingTeam = null;
    document.getElementById('team-form').reset();
    document.getElementById('team-id').disabled = false;
    document.getElementById('create-team').textContent = 'Create team';
  }

  async function saveTeam() {
    const daily = number('team-daily');
    const monthly = number('team-monthly');
    const body = {
      models: list(document.getElementById('team-models').value) || [],
      rpm: number('team-rpm') ?? null,
      budget_usd: daily === undefined && monthly === undefined ? null : { daily: daily ?? null, monthly: monthly ?? null },
    };
    if (editingTeam) {
      await api('PATCH', '/teams/' + encodeURIComponent(editingTeam), body);
    } else {
      await api('POST', '/teams', Object.assign({ id: document.getElementById('team-id').value.trim() }, body));
    }
    resetTeamForm();
    await refresh();
  }

  async function createKey() {
    const daily = number('key-daily');
    const body = { team: document.getElementById('key-team').value };
    const name = document.getElementById('key-name').value.trim();
    if (name) {
      body.name = name;
    }
    const models = list(document.getElementById('key-models').value);
    if (models) {
      body.models = models;
    }
    if (number('key-rpm') !== undefined) {
      body.rpm = number('key-rpm');
    }
    if (daily !== undefined) {
      body.budget_usd = { daily };
    }
    const created = await api('POST', '/keys', body);
    // The secret is in this answer only: shown until dismissed, and never kept anywhere else.
    document.getElementById('secret').textContent = created.key;
    document.getElementById('new-secret').hidden = false;
    document.getElementById('new-secret').dataset.keyId = created.id;
    document.getElementById('key-form').reset();
    await refresh();
    document.getElementById('new-secret').scrollIntoView();
  }

  async function revoke(key) {
    await api('DELETE', '/keys/' + encodeURIComponent(key.id));
    await refresh();
  }

  function dismissSecret() {
    document.getElementById('secret').textContent = '';
    document.getElementById('new-secret').hidden = true;
  }

  Gearbox.page(async () => {
    document.getElementById('team-form').addEventListener('submit', (event) => {
      event.preventDefault();
      Gearbox.act(document.getElementById('create-team'), saveTeam);
    });
    document.getElementById('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      Gearbox.act(document.getElementById('create-key'), createKey);
    });
    document.getElementById('dismiss-secret').addEventListener('click', dismissSecret);
    document.getElementById('copy-secret').addEventListener('click', () => {
      navigator.clipboard.writeText(document.getElementById('secret').textContent).catch(() => {});
    });
    await refresh();
  });
})();
