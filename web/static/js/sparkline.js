// A small loss curve drawn on a canvas, for lists of sessions (My sessions, the class board).

/** A small loss curve, on a log scale when every value is positive (losses span decades). */
export function sparkline(canvas, values) {
  const ratio = window.devicePixelRatio || 1;
  const width = 140;
  const height = 36;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  if (values.length < 2) return;
  const log = values.every((v) => v > 0);
  const ys = values.map((v) => (log ? Math.log10(v) : v));
  const min = Math.min(...ys);
  const span = Math.max(...ys) - min || 1;
  g.strokeStyle = '#2563eb';
  g.lineWidth = 1.5;
  g.beginPath();
  ys.forEach((y, i) => {
    const px = 2 + (i * (width - 4)) / (ys.length - 1);
    const py = 2 + (1 - (y - min) / span) * (height - 4);
    if (i === 0) g.moveTo(px, py);
    else g.lineTo(px, py);
  });
  g.stroke();
}
