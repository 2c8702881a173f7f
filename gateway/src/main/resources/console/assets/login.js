// Signing in: the token goes once, in a JSON body, to the console's API, which answers with a session cookie
// the page's script cannot read. Without an admin token (loopback only) it signs in at once.
'use strict';

document.addEventListener('DOMContentLoaded', async () => {
  const form = document.getElementById('login-form');
  const input = document.getElementById('token');
  const error = document.getElementById('error');

  async function signIn(token) {
    const response = await fetch('/console/api/login', {
      method: 'POST',
      credentials: 'same-origin',
      cache: 'no-store',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(token === null ? {} : { token }),
    });
    if (response.ok) {
      window.location.assign('/console/overview');
      return;
    }
    const data = await response.json().catch(() => null);
    error.hidden = false;
    error.textContent = data && data.error ? data.error.message : 'Signing in failed (' + response.status + ').';
    input.value = '';
    input.focus();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    signIn(input.value);
  });

  const described = await fetch('/console/api/login', { credentials: 'same-origin', cache: 'no-store' });
  if (described.ok && !(await described.json()).token_required) {
    signIn(null);
  }
});
