// How a challenge's target, rules and attempts read, in the page's language.
import { t, formatNumber } from './i18n.js';

const OPS = { '>=': '≥', '<=': '≤' };

/** "test_accuracy ≥ 0,95". */
export function targetText(target) {
  return `${target.metric} ${OPS[target.op] || target.op} ${formatNumber(target.value)}`;
}

/** "como mucho 50 parámetros · optimizador adam", or "" without constraints. */
export function constraintsText(constraints) {
  const parts = [];
  if (constraints.maxParameters) parts.push(t('challenge.constraintParameters', constraints.maxParameters));
  if (constraints.maxEpochs) parts.push(t('challenge.constraintEpochs', constraints.maxEpochs));
  if (constraints.optimizer) parts.push(t('challenge.constraintOptimizer', constraints.optimizer));
  return parts.length ? t('challenge.constraints', parts.join(' · ')) : '';
}

/** "Fecha límite: 10/12/26, 12:00" in the reader's time. */
export function deadlineText(deadline) {
  if (!deadline) return t('challenge.noDeadline');
  return t('challenge.deadlineAt', new Intl.DateTimeFormat(document.documentElement.lang || 'en',
    { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(deadline)));
}

/** A moment in the reader's time, short. */
export function when(millis) {
  return millis ? new Intl.DateTimeFormat(document.documentElement.lang || 'en',
    { dateStyle: 'short', timeStyle: 'short' }).format(new Date(millis)) : '—';
}

/** An attempt's outcome: met (by how much) or not (by how much), going, or void. */
export function attemptText(attempt, target) {
  if (attempt.state === 'going') return t('challenge.going');
  if (attempt.state === 'void' || attempt.score === undefined) return t('challenge.void');
  const key = attempt.met ? 'challenge.met' : 'challenge.notMet';
  return t(key, target.metric, formatNumber(attempt.score), OPS[target.op] || target.op, formatNumber(target.value),
    formatNumber(Math.abs(attempt.margin)));
}
