// Field errors: a message beside the field it names (or its closest named ancestor, or the general box).

/** Shows a message beside the field it names (or its closest named ancestor, or the general box). */
export function showError(field, message) {
  let target = null;
  let path = field || '';
  while (true) {
    // a box that is on screen: a message in a hidden part of the page is a message nobody reads
    target = [...document.querySelectorAll(`[data-error-for="${CSS.escape(path)}"]`)].find(visible) || null;
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

/** Whether an error box would be seen: the part of the page it sits in is rendered (the box itself shows once filled). */
function visible(box) {
  return box.parentElement !== null && box.parentElement.getClientRects().length > 0;
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
