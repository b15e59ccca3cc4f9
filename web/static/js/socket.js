// One place for the WebSocket protocol: connect to a feed, parse its JSON messages, keep the
// connection alive with a ping, and reconnect after a drop (500 ms, doubling to 10 s). A feed
// with a cursor reconnects with ?since=<cursor> and gets exactly what it missed. The server's
// 4404 (no such session, search or class) and close() end it for good.
const PING_MS = 30000;
const NOT_FOUND = 4404;
const decoder = new TextDecoder();

/**
 * Follows `path` (e.g. /ws/sessions/abc): onMessage(data) for every JSON message; `since()`, when
 * given, the cursor to resume from; onOpen() after every (re)connection. Returns { send(message), close() }.
 */
export function follow(path, { onMessage, since = null, onOpen = null }) {
  let socket = null;
  let closed = false;
  let retry = 500;
  let pinger = null;

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const query = since ? `?since=${encodeURIComponent(since())}` : '';
    socket = new WebSocket(`${scheme}://${location.host}${path}${query}`);
    socket.binaryType = 'arraybuffer'; // the live frames come as binary messages of UTF-8 JSON
    socket.onopen = () => {
      retry = 500;
      if (onOpen) onOpen();
      pinger = setInterval(() => { if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}'); }, PING_MS);
    };
    socket.onmessage = (message) => {
      let data;
      try {
        data = JSON.parse(typeof message.data === 'string' ? message.data : decoder.decode(message.data));
      } catch {
        return; // not ours to read
      }
      if (data.type !== 'pong') onMessage(data);
    };
    socket.onclose = (event) => {
      clearInterval(pinger);
      if (closed || event.code === NOT_FOUND) return;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  connect();
  return {
    /** Sends a JSON message now if connected (onOpen is where a feed says again what it needs after a reconnect). */
    send(message) {
      if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message));
    },
    close() {
      closed = true;
      clearInterval(pinger);
      if (socket) socket.close();
    },
  };
}
