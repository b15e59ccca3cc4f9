/**
 * Training sessions: a spec, the data it resolved to, and its run. A session has an unguessable
 * id and its own URL ({@code /s/{id}}); this package creates, finds and stops them. Kept in memory
 * for now; durable storage comes with the sessions issue.
 */
package sinapsis.session;
