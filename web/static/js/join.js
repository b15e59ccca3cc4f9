// Joining a class with its code and a display name, or creating one as a teacher.
import { api, ApiFailure } from './api.js';
import { t } from './i18n.js';
import { showError, clearErrors } from './errors.js';

const $ = (id) => document.getElementById(id);

function failed(e, prefix = '') {
  if (e instanceof ApiFailure) showError(e.field ? `${prefix}${e.field}` : '', e.message);
  else showError('', t('error.network'));
}

$('join-code').value = new URLSearchParams(location.search).get('code') || '';

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  $('join-button').disabled = true;
  try {
    const code = $('join-code').value.trim();
    const joined = await api(`/api/classes/${encodeURIComponent(code || '-')}/join`,
      { method: 'POST', body: { name: $('join-name').value } });
    location.href = `/classes/${encodeURIComponent(joined.code)}`;
  } catch (e) {
    failed(e);
  } finally {
    $('join-button').disabled = false;
  }
});

$('create-class-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  try {
    const created = await api('/api/classes', { method: 'POST', body: { name: $('class-name').value } });
    $('class-created').hidden = false;
    $('created-code').textContent = t('class.codeIs', created.code);
    $('teacher-link').value = `${location.origin}${created.url}`;
    $('open-board').href = `/classes/${created.code}/board`;
  } catch (e) {
    failed(e, 'class.');
  }
});

document.body.dataset.ready = 'true';
