// A small speed chart per download: the last minute of bytes per second as a filled line.
"use strict";

const SpeedChart = (() => {
  const SAMPLES = 60;

  function push(history, bytesPerSecond) {
    history.push(Math.max(0, bytesPerSecond || 0));
    if (history.length > SAMPLES) history.splice(0, history.length - SAMPLES);
  }

  function draw(canvas, history) {
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    const w = canvas.width;
    const h = canvas.height;
    ctx.clearRect(0, 0, w, h);
    if (history.length < 2) return;
    const max = Math.max(...history, 1);
    const step = w / (SAMPLES - 1);
    const x0 = w - (history.length - 1) * step;
    const accent = getComputedStyle(document.documentElement).getPropertyValue("--accent").trim() || "#2563eb";
    ctx.beginPath();
    ctx.moveTo(x0, h);
    history.forEach((v, i) => ctx.lineTo(x0 + i * step, h - 2 - (v / max) * (h - 4)));
    ctx.lineTo(w, h);
    ctx.closePath();
    ctx.globalAlpha = 0.18;
    ctx.fillStyle = accent;
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.beginPath();
    history.forEach((v, i) => {
      const x = x0 + i * step;
      const y = h - 2 - (v / max) * (h - 4);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.strokeStyle = accent;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }

  return { push, draw };
})();
