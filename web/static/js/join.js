// Joining a class with its code and a display name, or creating one as a teacher.
import { api, ApiFailure } from './api.js';
import { t } from './i18n.js';
import { showError, clearErrors } from './errors.js';
import { $ } from './dom.js';

function failed(e, prefix = '') {
  if (e instanceof ApiFailure) showError(e.field ? `${prefix}${e.field}` : '', e.message);
  else showError('', t('error.network'));
}

$('join-code').value = new URLSearchParams(location.search).get('code') || '';

/** A QR code of this page with the class's code filled in: students point their phones at the projector. */
function showJoinQr(code) {
  if (!code) return;
  $('join-qr').src = `/join/qr.svg?code=${encodeURIComponent(code)}`;
  $('join-qr').alt = t('class.joinQr', code);
  $('join-qr-caption').textContent = t('class.joinQr', code);
  $('join-qr-box').hidden = false;
}

showJoinQr($('join-code').value.trim());

$('join-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors();
  $('join-button').disabled = true;
  try {
    const code = $('join-code').value.trim();
    const joined = await api(`/api/classes/${encodeURIComponent(code || '-')}/join`,
      { method: 'POST', body: { name: $('join-name').value } });
    location.href = joined.landing || `/classes/${encodeURIComponent(joined.code)}`; // the open challenge, when there is one
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
    showJoinQr(created.code);
  } catch (e) {
    failed(e, 'class.');
  }
});

$('copy-teacher-link').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('teacher-link').value);
    $('teacher-link-status').textContent = t('session.copied');
  } catch {
    $('teacher-link').select();
    $('teacher-link-status').textContent = t('session.copyFailed');
  }
});

document.body.dataset.ready = 'true';
