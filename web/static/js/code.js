// The code export dialog: the session as Keras, PyTorch and DL4J programs, one tab each.
import { t } from './i18n.js';
import { $ } from './dom.js';

export class CodeDialog {
  constructor(sessionId) {
    this.sessionId = sessionId;
    document.querySelectorAll('#code-dialog .tab').forEach((tab) => {
      tab.addEventListener('click', () => this.show(tab.dataset.language));
    });
    $('code-copy').addEventListener('click', () => this.copy());
  }

  async open() {
    $('code-dialog').showModal();
    await this.show('keras');
  }

  async show(language) {
    const base = `/api/sessions/${encodeURIComponent(this.sessionId())}`;
    document.querySelectorAll('#code-dialog .tab').forEach((tab) => {
      tab.setAttribute('aria-selected', String(tab.dataset.language === language));
    });
    $('code-status').textContent = '';
    $('code-download').href = `${base}/code/${language}?download`;
    $('code-data').href = `${base}/training-data.csv`;
    let text;
    try {
      const response = await fetch(`${base}/code/${language}`);
      text = await response.text();
      if (!response.ok) {
        // the server's own words (e.g. "the DL4J export is for Dense networks"), as it said them
        try {
          text = JSON.parse(text).error.message;
        } catch {
          text = t('error.http', response.status);
        }
      }
    } catch {
      text = t('error.network');
    }
    $('code-text').textContent = text;
    $('code-text').dataset.language = language;
  }

  async copy() {
    try {
      await navigator.clipboard.writeText($('code-text').textContent);
      $('code-status').textContent = t('code.copied');
    } catch {
      const range = document.createRange();
      range.selectNodeContents($('code-text'));
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      $('code-status').textContent = t('code.selectToCopy');
    }
  }
}
