// Human units for sizes, speeds and durations.
"use strict";

const Format = (() => {
  const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

  function bytes(n) {
    if (n == null || !isFinite(n) || n < 0) return "–";
    let i = 0;
    let v = n;
    while (v >= 1024 && i < UNITS.length - 1) {
      v /= 1024;
      i++;
    }
    const digits = i === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
    return v.toFixed(digits) + " " + UNITS[i];
  }

  function speed(bytesPerSecond) {
    return bytesPerSecond > 0 ? bytes(bytesPerSecond) + "/s" : "–";
  }

  /** "1:02:03", "2:03" or "45 s"; "–" when unknown. */
  function duration(seconds) {
    if (seconds == null || !isFinite(seconds) || seconds < 0) return "–";
    const s = Math.round(seconds);
    if (s < 60) return s + " s";
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const rest = String(s % 60).padStart(2, "0");
    return h > 0 ? h + ":" + String(m).padStart(2, "0") + ":" + rest : m + ":" + rest;
  }

  function percent(done, total) {
    if (!total) return 0;
    return Math.max(0, Math.min(100, (done / total) * 100));
  }

  return { bytes, speed, duration, percent };
})();
