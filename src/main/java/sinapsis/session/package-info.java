/**
 * Training sessions: a spec, the data it resolved to, its run and its owner. A session has an
 * unguessable id and its own URL ({@code /s/{id}}); this package creates, stores, finds, forks,
 * re-runs, renames, stops and deletes them, and writes running sessions' history as they train.
 */
package sinapsis.session;
