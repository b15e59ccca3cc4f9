// Field errors: a message beside the field it names (or its closest named ancestor, or the general box).

/** Shows a message beside the field it names (or its closest named ancestor, or the general box). */
export function showError(field, message) {
  let target = null;
  let path = field || '';
  while (true) {
    target = document.querySelector(`[data-error-for="${CSS.escape(path)}"]`);
    if (target || path === '') break;
    const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    path = cut > 0 ? path.slice(0, cut) : '';
  }
  target = target || document.getElementById('general-error');
  target.textContent = message;
  target.classList.add('visible');
  const input = document.querySelector(`[data-field="${CSS.escape(field || '')}"]`);
  if (input) {
    input.classList.add('invalid');
    input.setAttribute('aria-invalid', 'true');
  }
}

export function clearErrors(prefix = '') {
  document.querySelectorAll('[data-error-for]').forEach((el) => {
    if (el.dataset.errorFor.startsWith(prefix)) {
      el.textContent = '';
      el.classList.remove('visible');
    }
  });
  document.querySelectorAll('.invalid').forEach((el) => {
    if ((el.dataset.field || '').startsWith(prefix)) {
      el.classList.remove('invalid');
      el.removeAttribute('aria-invalid');
    }
  });
}
