// Follows a session over its WebSocket. The server sends every epoch past our cursor; after a
// dropped connection (or one the server closed because we fell behind) we reconnect with
// ?since=<last seq> and get exactly what we missed.
export function watch(sessionId, { onEvents, onStatus, onError, onReset, onProgress }) {
  let lastSeq = 0;
  let socket = null;
  let closed = false;
  let retry = 500;
  let pinger = null;

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/ws/sessions/${encodeURIComponent(sessionId)}?since=${lastSeq}`);
    socket.onopen = () => {
      retry = 500;
      pinger = setInterval(() => socket.readyState === 1 && socket.send('{"type":"ping"}'), 30000);
    };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type === 'update') {
        const fresh = data.events.filter((e) => e.seq > lastSeq);
        if (fresh.length) {
          lastSeq = fresh[fresh.length - 1].seq;
          onEvents(fresh);
        }
        if (data.progress && onProgress) onProgress(data.progress);
        if (data.status) onStatus(data.status);
      } else if (data.type === 'reset') {
        // the owner started the session again: the history starts over
        lastSeq = 0;
        if (onReset) onReset();
      } else if (data.type === 'error' && onError) {
        onError(data.message);
      }
    };
    socket.onclose = (event) => {
      clearInterval(pinger);
      if (closed || event.code === 4404) return;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  connect();
  return {
    close() {
      closed = true;
      if (socket) socket.close();
    },
    get lastSeq() {
      return lastSeq;
    },
  };
}
