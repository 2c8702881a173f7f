// What every console page shares: the session, calls to the console's API, and building the page from data.
// Data is only ever put into the page as text (textContent), never as markup, so nothing a request or a rule
// file holds can run as script; the Content-Security-Policy would refuse inline script anyway.
'use strict';

const Gearbox = (() => {
  let csrf = null;

  function toLogin() {
    window.location.assign('/console/login');
    return new Promise(() => {});
  }

  /** Reads the session's CSRF token; a page without a session goes to the sign-in page. */
  async function session() {
    const response = await fetch('/console/api/session', { credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401) {
      return toLogin();
    }
    const state = await response.json();
    csrf = state.csrf;
    return state;
  }

  /** Calls the console's API; everything but a GET carries the CSRF token. Throws the API's error message. */
  async function api(method, path, body, headers) {
    const init = { method, credentials: 'same-origin', cache: 'no-store', headers: Object.assign({}, headers || {}) };
    if (method !== 'GET') {
      init.headers['x-csrf-token'] = csrf;
    }
    if (body !== undefined) {
      init.headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch('/console/api' + path, init);
    if (response.status === 401) {
      return toLogin();
    }
    const text = await response.text();
    const data = text ? JSON.parse(text) : null;
    if (!response.ok) {
      const error = new Error(data && data.error ? data.error.message : response.status + ' ' + response.statusText);
      error.status = response.status;
      error.data = data;
      throw error;
    }
    return data;
  }

  /** An element: attributes (class, text, data-*, any other) and children (nodes, or strings as text). */
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (name === 'text') {
        node.textContent = String(value);
      } else if (name === 'class') {
        node.className = value;
      } else if (name === 'on') {
        for (const [event, handler] of Object.entries(value)) {
          node.addEventListener(event, handler);
        }
      } else {
        node.setAttribute(name, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) {
        continue;
      }
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function fill(id, ...children) {
    const node = document.getElementById(id);
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined && c !== false));
    return node;
  }

  /**
   * A table: columns are {label, value(row), num?, field?}; a value may be a node. Each cell names its column
   * in data-field, so a row can be read back by what it holds.
   */
  function table(columns, rows, rowAttributes) {
    const head = el('tr', null, columns.map((c) => el('th', { class: c.num ? 'num' : null, text: c.label })));
    const body = rows.map((row) => el('tr', rowAttributes ? rowAttributes(row) : null, columns.map((c) => {
      const value = c.value(row);
      return el('td', { class: c.num ? 'num' : null, 'data-field': c.field || null },
        value instanceof Node ? value : (value === null || value === undefined ? '–' : String(value)));
    })));
    return el('table', null, el('thead', null, head), el('tbody', null, body));
  }

  function card(label, value, note, field) {
    return el('div', { class: 'card', 'data-card': field || null },
      el('div', { class: 'label', text: label }), el('div', { class: 'value', text: value }),
      note ? el('div', { class: 'note', text: note }) : null);
  }

  function pill(text, kind) {
    return el('span', { class: 'pill ' + (kind || String(text).replace(/[^a-z_]/gi, '_')), text });
  }

  function showError(error) {
    const node = document.getElementById('error');
    if (!node) {
      return;
    }
    node.hidden = !error;
    node.textContent = error ? (error.message || String(error)) : '';
  }

  const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 4 });
  const fineUsdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 6 });

  function usd(value) {
    if (value === null || value === undefined) {
      return '–';
    }
    return Math.abs(value) < 0.01 && value !== 0 ? fineUsdFormat.format(value) : usdFormat.format(value);
  }

  function pct(value) {
    return value === null || value === undefined ? '–' : (100 * value).toFixed(1) + '%';
  }

  function count(value) {
    return value === null || value === undefined ? '–' : Number(value).toLocaleString('en-US');
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : '–';
  }

  /** Runs a page once the session is known; its errors show in the page's error box. */
  function page(start) {
    document.addEventListener('DOMContentLoaded', async () => {
      const current = document.body.dataset.page;
      for (const link of document.querySelectorAll('[data-nav]')) {
        if (link.dataset.nav === current) {
          link.setAttribute('aria-current', 'page');
        }
      }
      const signOut = document.getElementById('sign-out');
      if (signOut) {
        signOut.addEventListener('click', async () => {
          try {
            await api('POST', '/logout');
          } finally {
            window.location.assign('/console/login');
          }
        });
      }
      try {
        await session();
        await start();
      } catch (error) {
        showError(error);
      }
    });
  }

  /** Runs an action from a button or form, showing its error, with the button disabled meanwhile. */
  async function act(button, action) {
    showError(null);
    if (button) {
      button.disabled = true;
    }
    try {
      await action();
    } catch (error) {
      showError(error);
    } finally {
      if (button) {
        button.disabled = false;
      }
    }
  }

  return { api, el, fill, table, card, pill, usd, pct, count, when, page, act, showError };
})();
