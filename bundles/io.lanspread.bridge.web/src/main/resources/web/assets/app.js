// The lanspread page: state arrives from /api/events (a snapshot, then each change); commands go to the JSON API.
"use strict";

const state = {
  status: null,
  peers: new Map(),      // peerId -> peer view (with online flag)
  games: [],             // merged listings, sorted by id
  downloads: new Map(),  // download id -> download view
  speeds: new Map(),     // download id -> recent bytes/s samples
  pending: new Set(),    // game ids whose download request is on its way
  filter: "",
};

const $ = (id) => document.getElementById(id);
const ENDED = new Set(["FINISHED", "FAILED", "CANCELLED"]);
const STATE_WORDS = {
  RUNNING: "downloading", WAITING: "waiting for peers", INTERRUPTED: "interrupted",
  FINISHED: "installed", FAILED: "failed", CANCELLED: "cancelled",
};

// ------------------------------------------------------------------ commands

async function api(method, path) {
  const response = await fetch(path, { method, headers: { Accept: "application/json" } });
  if (response.status === 401) {
    window.location.assign("/login");
    throw new Error("Please log in first.");
  }
  if (!response.ok) {
    let message = "The peer answered " + response.status + ".";
    try {
      const body = await response.json();
      if (body && body.error) message = body.error;
    } catch (ignored) { /* not JSON: keep the status sentence */ }
    throw new Error(message);
  }
  return response.status === 204 ? null : response.json();
}

async function startDownload(gameId) {
  state.pending.add(gameId);
  renderGames();
  try {
    const download = await api("POST", "/api/games/" + encodeURIComponent(gameId) + "/download");
    if (download && download.id) upsertDownload(download);
  } catch (e) {
    toast(e.message);
  } finally {
    state.pending.delete(gameId);
    renderGames();
  }
}

async function cancelDownload(id) {
  try {
    await api("DELETE", "/api/downloads/" + encodeURIComponent(id));
  } catch (e) {
    toast(e.message);
  }
}

async function resumeDownload(id) {
  try {
    const download = await api("POST", "/api/downloads/" + encodeURIComponent(id) + "/resume");
    if (download && download.id) upsertDownload(download);
  } catch (e) {
    toast(e.message);
  }
}

async function clearDownload(id) {
  try {
    await api("DELETE", "/api/downloads/" + encodeURIComponent(id));
    state.downloads.delete(id);
    state.speeds.delete(id);
    renderDownloads();
  } catch (e) {
    toast(e.message);
  }
}

async function clearEnded() {
  const ended = [...state.downloads.values()].filter((d) => ENDED.has(d.state));
  for (const d of ended) await clearDownload(d.id);
}

// ------------------------------------------------------------------ events

function connect() {
  const source = new EventSource("/api/events");
  const live = $("live");
  source.onopen = () => {
    live.dataset.state = "live";
    $("live-text").textContent = "live";
  };
  source.onerror = () => {
    // the browser reconnects by itself and sends Last-Event-ID, so nothing is missed
    live.dataset.state = source.readyState === EventSource.CLOSED ? "offline" : "connecting";
    $("live-text").textContent = source.readyState === EventSource.CLOSED ? "offline" : "reconnecting…";
    if (source.readyState === EventSource.CLOSED) setTimeout(connect, 3000);
  };
  const on = (type, handler) => source.addEventListener(type, (e) => handler(JSON.parse(e.data)));
  on("snapshot", (s) => {
    state.status = s.status;
    const known = state.peers;
    state.peers = new Map();
    for (const p of s.peers) state.peers.set(p.peerId, { ...p, online: true });
    for (const [id, p] of known) if (!state.peers.has(id)) state.peers.set(id, { ...p, online: false });
    state.games = s.games;
    state.downloads = new Map(s.downloads.map((d) => [d.id, d]));
    renderAll();
  });
  on("peer-discovered", (e) => { state.peers.set(e.peer.peerId, { ...e.peer, online: true }); renderPeers(); });
  on("peer-lost", (e) => {
    const p = state.peers.get(e.peerId);
    if (p) state.peers.set(e.peerId, { ...p, online: false });
    if (e.games) state.games = e.games;
    renderPeers();
    renderGames();
  });
  on("game-list-updated", (e) => {
    const p = state.peers.get(e.peerId);
    if (p) state.peers.set(e.peerId, { ...p, gameCount: e.gameCount, online: true });
    if (e.games) state.games = e.games;
    renderPeers();
    renderGames();
    renderDownloads();
  });
  on("library-changed", (e) => { if (e.games) state.games = e.games; renderGames(); renderDownloads(); });
  for (const type of ["download-begin", "download-progress", "download-failed", "download-cancelled"]) {
    on(type, (e) => upsertDownload(e.download));
  }
  on("download-finished", (e) => {
    if (e.games) state.games = e.games;
    upsertDownload(e.download);
    renderGames();
  });
  on("closed", (e) => toast(e.error || "The peer closed the event stream."));
}

function upsertDownload(d) {
  const before = state.downloads.get(d.id);
  state.downloads.set(d.id, d);
  if (d.state === "RUNNING") {
    if (!state.speeds.has(d.id)) state.speeds.set(d.id, []);
    SpeedChart.push(state.speeds.get(d.id), d.bytesPerSecond);
  }
  if (!before || before.state !== d.state) renderGames();
  renderDownloads();
}

// ------------------------------------------------------------------ rendering

function renderAll() {
  renderSelf();
  renderPeers();
  renderGames();
  renderDownloads();
}

function renderSelf() {
  const s = state.status;
  if (!s) return;
  $("me-name").textContent = s.name;
  $("me-name").title = s.peerId;
  $("self-name").textContent = s.name;
  $("self-id").textContent = s.peerId;
  $("self-quic").textContent = s.quicPort;
  $("self-http").textContent = s.httpPort;
  $("self-games").textContent = s.gamesDir || "–";
  $("self-served").textContent = Format.bytes(s.servedBytes);
  const u = s.uplink;
  $("self-uplink").textContent = u && u.maxRequests > 0
    ? `reading ${u.serving} chunks, ${u.waiting} waiting their turn (at most ${u.maxRequestsPerPeer} per peer, ${u.maxRequests} in all)`
    : "–";
  document.title = "lanspread · " + s.name;
}

function renderPeers() {
  const list = $("peers");
  const peers = [...state.peers.values()].sort((a, b) =>
    (b.online - a.online) || a.name.localeCompare(b.name));
  const online = peers.filter((p) => p.online).length;
  list.replaceChildren(...peers.map((p) => {
    const li = document.createElement("li");
    li.className = p.online ? "online" : "offline";
    li.dataset.peerId = p.peerId;
    li.title = p.name + "\n" + (p.address || "") + "\n" + p.peerId;
    const dot = document.createElement("span");
    dot.className = "dot";
    const name = document.createElement("span");
    name.className = "peer-name";
    name.textContent = p.name;
    const games = document.createElement("span");
    games.className = "peer-games";
    games.textContent = p.online ? plural(p.gameCount, "game") : "offline";
    li.append(dot, name, games);
    return li;
  }));
  $("peer-count").textContent = online ? "(" + online + " online)" : "";
  $("peers-empty").hidden = peers.length > 0;
  $("no-peers").hidden = online > 0 || state.status == null;
}

function activeDownloadFor(gameId) {
  for (const d of state.downloads.values()) {
    if (d.gameId === gameId && !ENDED.has(d.state)) return d;
  }
  return null;
}

function renderGames() {
  const filter = state.filter.trim().toLowerCase();
  const games = state.games.filter((g) => !filter
    || g.name.toLowerCase().includes(filter) || g.id.toLowerCase().includes(filter));
  const body = $("games");
  body.replaceChildren(...games.map(gameRow));
  $("games-table").hidden = games.length === 0;
  $("games-empty").hidden = games.length > 0;
  $("games-empty").textContent = state.games.length === 0
    ? "No games yet: neither this peer nor any peer it knows has one."
    : "No game matches \u201c" + state.filter + "\u201d.";
}

function gameRow(g) {
  const tr = document.createElement("tr");
  tr.dataset.gameId = g.id;
  const name = cell();
  const title = document.createElement("span");
  title.className = "game-name";
  title.textContent = g.name;
  const id = document.createElement("span");
  id.className = "game-id";
  id.textContent = " " + g.id;
  name.append(title, id);
  const installed = g.installedVersion || (g.local ? g.version : null);
  const update = installed && installed !== g.version;
  if (update) {
    const note = document.createElement("span");
    note.className = "installed-note";
    note.textContent = "version " + installed + " installed";
    name.append(note);
  }
  const version = cell(g.version);
  const size = cell(Format.bytes(g.size), "num");
  const peers = cell(String(g.peers.length), "num");
  peers.dataset.unit = g.peers.length === 1 ? "peer" : "peers"; // shown on a phone, where there is no header
  peers.title = g.peers.map((id) => (state.peers.get(id) || { name: id }).name).join(", ");
  const action = cell();
  const running = activeDownloadFor(g.id);
  if (g.local && !update) {
    action.append(badge("installed", "installed"));
  } else if (running) {
    action.append(badge(STATE_WORDS[running.state] || running.state, running.state));
  } else if (g.peers.length === 0) {
    action.append(badge("no peer has it", ""));
  } else {
    if (update) action.append(badge("update available", "update"), " ");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "download-button";
    button.textContent = update ? "Update" : "Download";
    button.disabled = state.pending.has(g.id);
    button.addEventListener("click", () => startDownload(g.id));
    action.append(button);
  }
  tr.append(name, version, size, peers, action);
  return tr;
}

function renderDownloads() {
  const list = $("downloads");
  const template = $("download-template");
  const downloads = [...state.downloads.values()].sort((a, b) =>
    (ENDED.has(a.state) - ENDED.has(b.state)));
  const items = downloads.map((d) => {
    let li = list.querySelector('li[data-download-id="' + CSS.escape(d.id) + '"]');
    if (!li) {
      li = template.content.firstElementChild.cloneNode(true);
      li.dataset.downloadId = d.id;
      li.querySelector(".cancel").addEventListener("click", () => cancelDownload(d.id));
      li.querySelector(".resume").addEventListener("click", () => resumeDownload(d.id));
      li.querySelector(".clear").addEventListener("click", () => clearDownload(d.id));
    }
    fillDownload(li, d);
    return li;
  });
  list.replaceChildren(...items);
  $("downloads-empty").hidden = downloads.length > 0;
  $("clear-ended").hidden = !downloads.some((d) => ENDED.has(d.state));
}

function fillDownload(li, d) {
  const game = state.games.find((g) => g.id === d.gameId);
  li.dataset.state = d.state;
  li.querySelector(".download-name").textContent =
    (game ? game.name : d.gameId) + (d.version ? " " + d.version : "");
  const stateBadge = li.querySelector(".state");
  stateBadge.className = "badge state " + d.state;
  stateBadge.textContent = STATE_WORDS[d.state] || d.state;
  const pct = d.state === "FINISHED" ? 100 : Format.percent(d.downloadedBytes, d.totalBytes);
  const bar = li.querySelector(".bar");
  bar.setAttribute("aria-valuenow", pct.toFixed(1));
  li.querySelector(".bar-fill").style.width = pct.toFixed(1) + "%";
  li.querySelector(".download-text").textContent = describe(d, pct);
  const chart = li.querySelector(".speed-chart");
  SpeedChart.draw(chart, state.speeds.get(d.id) || []);
  chart.hidden = ENDED.has(d.state);
  const error = li.querySelector(".download-error");
  error.hidden = !d.error;
  error.textContent = d.error || "";
  li.querySelector(".cancel").hidden = ENDED.has(d.state);
  li.querySelector(".resume").hidden = d.state !== "INTERRUPTED";
  li.querySelector(".clear").hidden = !ENDED.has(d.state);
}

function describe(d, pct) {
  const sizes = Format.bytes(d.downloadedBytes) + " of " + Format.bytes(d.totalBytes);
  if (d.state === "RUNNING" && !d.totalBytes) return "starting…"; // the sources have not told the size yet
  if (d.state === "RUNNING") {
    const left = d.bytesPerSecond > 0 ? (d.totalBytes - d.downloadedBytes) / d.bytesPerSecond : null;
    const parts = [Math.floor(pct) + " %", sizes, Format.speed(d.bytesPerSecond),
      left == null ? "estimating…" : Format.duration(left) + " left",
      d.activePeers + " of " + plural(d.sources, "peer")];
    if (d.sharedBytes > 0) parts.push("also sharing " + Math.floor(100 * d.sharedBytes / d.totalBytes) + " %"); // swarming
    return parts.join(" · ");
  }
  if (d.state === "FINISHED") return Format.bytes(d.totalBytes) + " installed";
  if (d.state === "WAITING" || d.state === "INTERRUPTED") return Math.floor(pct) + " % · " + sizes;
  return sizes;
}

// ------------------------------------------------------------------ small things

function cell(text, cls) {
  const td = document.createElement("td");
  if (text != null) td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function badge(text, cls) {
  const b = document.createElement("span");
  b.className = "badge " + cls;
  b.textContent = text;
  return b;
}

function plural(n, word) {
  return n + " " + word + (n === 1 ? "" : "s");
}

let toastTimer = null;
function toast(message) {
  const t = $("toast");
  t.textContent = message;
  t.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { t.hidden = true; }, 6000);
}

document.addEventListener("DOMContentLoaded", () => {
  $("filter").addEventListener("input", (e) => { state.filter = e.target.value; renderGames(); });
  $("clear-ended").addEventListener("click", clearEnded);
  connect();
});
