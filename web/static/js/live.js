// Follows a session over its WebSocket. The server sends every epoch past our cursor; after a
// dropped connection (or one the server closed because we fell behind) the socket module
// reconnects with ?since=<last seq> and we get exactly what we missed.
import { follow } from './socket.js';

/** `from`: the last seq already shown (a finished session's history, loaded at once). */
export function watch(sessionId, { onEvents, onStatus, onError, onReset, onProgress, onLive }, from = 0) {
  let lastSeq = from;
  let view = null; // the axes this viewer chose, said again after a reconnect
  const feed = follow(`/ws/sessions/${encodeURIComponent(sessionId)}`, {
    since: () => lastSeq,
    onOpen: () => { if (view) feed.send(view); },
    onMessage: (data) => {
      if (data.type === 'update') {
        const fresh = data.events.filter((e) => e.seq > lastSeq);
        if (fresh.length) {
          lastSeq = fresh[fresh.length - 1].seq;
          onEvents(fresh);
        }
        if (data.progress && onProgress) onProgress(data.progress);
        if (data.status) onStatus(data.status);
      } else if (data.type === 'live') {
        if (onLive) onLive(data.live);
      } else if (data.type === 'reset') {
        // the owner started the session again: the history starts over
        lastSeq = 0;
        if (onReset) onReset();
      } else if (data.type === 'error' && onError) {
        onError(data.message, data.field);
      }
    },
  });
  return {
    close: () => feed.close(),
    /** The live views over other axes: {x, y, at: {input: value}}. */
    view(axes) {
      view = { type: 'view', ...axes };
      feed.send(view);
    },
    get lastSeq() {
      return lastSeq;
    },
  };
}
