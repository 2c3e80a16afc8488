// The console's shell: sign-in, routes (#/region/r, #/device/d, #/changes, #/change/c, #/intents, #/intents/i, #/events), keys, theme.
import { gql, session, LiveSubscription, newestSequence } from "./api.js";
import { NetworkMap, measured, readRegion } from "./map.js";
import { h } from "./dom.js";
import { devicePanel, changeList, changePanel, eventTypes, eventRow } from "./views.js";
import { intentsView, intentPage, updateRow, IntentRowFields } from "./intents.js";

const $ = id => document.getElementById(id);
const EventFields = "sequence type region device interface link oldValue newValue occurredAt";
const state = { viewer: null, regions: [], map: null, live: null, events: null, intents: null, visit: 0 };

function theme(next) {
  const value = next ?? localStorage.getItem("pdsno.theme") ?? (matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light");
  document.documentElement.dataset.theme = value;
  localStorage.setItem("pdsno.theme", value);
  state.map?.restyle();
}

function showSignIn(message) {
  stopLive();
  session.token = null;
  $("shell").hidden = true;
  $("signin").hidden = false;
  $("signin-error").textContent = message ?? "";
  $("token").value = "";
  $("token").focus();
}

async function signIn(token) {
  session.token = token;
  performance.mark("pdsno:sign-in-start");
  // A link to a region starts reading it beside the sign-in, not after it; a refused token fails both.
  const linked = location.hash.match(/^#\/region\/([^/?]+)$/);
  const prefetch = linked ? { key: decodeURIComponent(linked[1]), read: readRegion(decodeURIComponent(linked[1])) } : null;
  state.prefetch = prefetch;
  const signedIn = measured("sign-in", () => gql(`{ viewer { tenant tokenName roles regions } regions(first: 200) { edges { node { key name deviceCount } } } }`));
  // A region read that comes back proves the token: its map is drawn while the sign-in's own read is still on its way.
  const early = prefetch?.read.then(() => {
    showShell();
    return showMap(prefetch.key);
  }, () => null);
  try {
    const data = await signedIn;
    state.viewer = data.viewer;
    state.regions = data.regions.edges.map(e => e.node);
  } catch (error) {
    showSignIn(error.code === "UNAUTHENTICATED"
      ? "Sign-in failed: the server does not accept this token (wrong, expired or revoked)."
      : `Sign-in failed: ${error.message}`);
    return;
  }
  showShell();
  $("who").textContent = `${state.viewer.tokenName} · ${state.viewer.roles.join(", ")}`;
  $("region").replaceChildren(h("option", { value: "" }, "All regions"), ...state.regions.map(r => h("option", { value: r.key }, r.name)));
  await early?.catch(() => {});
  await route();
}

function showShell() {
  $("signin").hidden = true;
  $("shell").hidden = false;
}

function stopLive() {
  state.live?.stop();
  state.live = null;
  state.liveRegion = undefined;
  state.events?.stop();
  state.events = null;
  state.intents?.stop();
  state.intents = null;
}

function setLive(status, detail) {
  $("live").dataset.state = status;
  $("live").textContent = status === "live" ? "● live" : status;
  if (status === "unauthorized") {
    showSignIn("Signed out: the server no longer accepts this token (revoked or expired).");
  } else if (detail) {
    $("live").title = detail;
  }
}

/** Draws a region (or every region) and follows its events from the moment it was read. */
async function showMap(regionKey) {
  $("region").value = regionKey ?? "";
  if (!regionKey) {
    state.live?.stop();
    state.liveRegion = undefined;
    state.map.showRegions(state.regions);
    return;
  }
  if (state.map.region === regionKey && state.liveRegion === regionKey) {
    return;
  }
  const started = performance.now();
  const prefetched = state.prefetch?.key === regionKey ? state.prefetch.read : undefined;
  state.prefetch = null;
  const since = await state.map.showRegion(regionKey, prefetched);
  if (since === null) {
    return;
  }
  $("map").dataset.region = regionKey;
  $("map").dataset.ready = String(Math.round(performance.now() - started));
  // Drawn is when the frame after the layout has been painted; from sign-in, it is the figure a user waits for.
  requestAnimationFrame(() => setTimeout(() => {
    performance.measure("pdsno:draw", "pdsno:draw-start");
    performance.measure("pdsno:paint", "pdsno:paint-start");
    if (performance.getEntriesByName("pdsno:sign-in-to-map").length === 0 && performance.getEntriesByName("pdsno:sign-in-start").length > 0) {
      performance.measure("pdsno:sign-in-to-map", "pdsno:sign-in-start");
    }
  }));
  state.live?.stop();
  state.liveRegion = regionKey;
  state.live = new LiveSubscription(
    `subscription($r: ID, $since: Long) { topologyChanged(regionId: $r, since: $since) { ${EventFields} } }`,
    { r: regionKey },
    event => {
      if (state.map.apply(event)) {
        // How long after the event happened the drawing showed it: the console's own latency figure.
        requestAnimationFrame(() => {
          $("lag").textContent = `seq ${event.sequence} · ${Math.max(0, Date.now() - Date.parse(event.occurredAt))} ms`;
          $("lag").dataset.sequence = event.sequence;
        });
      }
    },
    setLive).start(since);
}

async function showDevice(key) {
  const { device } = await gql(`query($id: ID!) { device(id: $id) { key region { key } } }`, { id: key });
  if (device) {
    await showMap(device.region.key);
    state.map.focus(device.key);
  }
  $("panel").replaceChildren(await devicePanel(key, device?.region.key));
}

async function showEvents(params) {
  const types = await eventTypes();
  const filter = { type: params.get("type") || null, region: params.get("region") || null, device: params.get("device") || null };
  const go = () => {
    const q = new URLSearchParams(Object.entries({ type: typeSelect.value, region: regionSelect.value, device: deviceInput.value.trim() }).filter(([, v]) => v));
    location.hash = `#/events?${q}`;
  };
  const typeSelect = h("select", { "aria-label": "type", onchange: go }, h("option", { value: "" }, "every type"), types.map(t => h("option", { value: t }, t)));
  const regionSelect = h("select", { "aria-label": "region", onchange: go }, h("option", { value: "" }, "every region"), state.regions.map(r => h("option", { value: r.key }, r.name)));
  const deviceInput = h("input", { "aria-label": "device", placeholder: "device name or key", value: filter.device ?? "", onchange: go });
  typeSelect.value = filter.type ?? "";
  regionSelect.value = filter.region ?? "";
  const body = h("tbody");
  // Follow from the log's end as it was before the read; what the read already shows is not shown twice.
  const start = await newestSequence(filter.region);
  // Events name devices by key; the filter may name one by its name.
  const deviceKey = filter.device ? (await gql("query($id: ID!) { device(id: $id) { key } }", { id: filter.device })).device?.key : null;
  const { events } = await gql(`query($t: [TopologyEventType!], $r: ID, $d: ID) { events(last: 200, types: $t, regionId: $r, deviceId: $d) { edges { node { ${EventFields} } } } }`,
    { t: filter.type ? [filter.type] : null, r: filter.region, d: filter.device });
  const newestFirst = events.edges.map(e => e.node).reverse();
  body.append(...newestFirst.map(eventRow));
  $("panel").replaceChildren(h("article", { class: "events" }, h("h2", {}, "Events"),
    h("div", { class: "filters" }, typeSelect, regionSelect, deviceInput),
    h("table", {}, h("thead", {}, h("tr", {}, ["seq", "at", "type", "region", "device", "where", "change"].map(x => h("th", {}, x)))), body)));
  state.events?.stop();
  const shown = newestFirst[0]?.sequence ?? 0;
  state.events = new LiveSubscription(
    `subscription($r: ID, $since: Long) { topologyChanged(regionId: $r, since: $since) { ${EventFields} } }`,
    { r: filter.region },
    e => {
      if (e.sequence > shown && (!filter.type || e.type === filter.type) && (!filter.device || e.device === deviceKey)) {
        body.prepend(eventRow(e));
        body.rows.length > 500 && body.lastElementChild.remove();
      }
    },
    () => {}).start(start);
}

/**
 * Marks an intent's path and backup path on the map of a region it crosses ("" for all regions, null for the map as it
 * is; of a list of the regions it crosses, the one shown already, else the first), unless the route has moved on since
 * `visit`. A page redrawn by a live transition so keeps the region its reader chose.
 */
function pathMarker(visit) {
  return async (regions, path, backup) => {
    if (visit !== state.visit) {
      return;
    }
    const region = Array.isArray(regions) ? (regions.includes(state.map.region) ? null : regions[0] ?? null) : regions;
    if (region != null) {
      await showMap(region || null);
    }
    state.map.highlight(path?.devices ?? [], path?.links ?? [], backup ?? undefined, path?.regions ?? []);
  };
}

/** Follows intent transitions (of one intent, or all) from `since`, while the intents view is shown. */
function followIntents(intentKey, onEvent, since) {
  state.intents?.stop();
  state.intents = new LiveSubscription(
    `subscription($i: ID, $since: Long) { intentUpdated(intentId: $i, since: $since) { sequence intent { ${IntentRowFields} } } }`,
    { i: intentKey }, onEvent, () => {}).start(since);
}

/** The list (and the preview form), kept live: a transition redraws its intent's row. */
async function showIntents(params) {
  const visit = state.visit;
  // Follow from the log's end as it was before the read; a transition during the read is applied again, harmlessly.
  const since = await newestSequence(null, ["INTENT_UPDATED"]);
  const [element, rows] = await intentsView(params, state.viewer, pathMarker(visit));
  if (visit === state.visit) {
    $("panel").replaceChildren(element);
    followIntents(null, event => updateRow(rows, event.intent), since);
  }
}

/** One intent's page, read again on each of its transitions (one read at a time, in order). */
async function showIntent(key) {
  const visit = state.visit;
  const since = await newestSequence(null, ["INTENT_UPDATED"]);
  let drawing = Promise.resolve();
  const draw = () => {
    drawing = drawing.catch(() => {}).then(async () => {
      const page = await intentPage(key, state.viewer, pathMarker(visit), draw);
      if (visit === state.visit) {
        $("panel").replaceChildren(page);
      }
    });
    return drawing;
  };
  await draw();
  if (visit === state.visit) {
    followIntents(key, () => draw().catch(error => $("panel").replaceChildren(h("p", { class: "error", role: "alert" }, error.message))), since);
  }
}

async function route() {
  if (!session.token || $("shell").hidden) {
    return;
  }
  $("found").replaceChildren();
  const [path, query] = location.hash.replace(/^#/, "").split("?");
  const [, view, arg] = path.split("/").map(decodeURIComponent);
  // A view still being read when the route changes leaves the panel and the live subscriptions to the newer one.
  state.visit++;
  if (view !== "events") {
    state.events?.stop();
    state.events = null;
  }
  if (view !== "intents") {
    state.intents?.stop();
    state.intents = null;
  }
  if (view !== "change" && view !== "intents") {
    state.map.highlight([], []);
  }
  document.querySelectorAll("header nav a").forEach(a => a.setAttribute("aria-current", a.dataset.view === (view || "region") ? "page" : "false"));
  try {
    if ((view === "changes" || view === "events" || view === "intents") && state.map.cy.elements().empty()) {
      // Beside a list, the map keeps what it showed, or shows every region.
      await showMap(state.regions.length === 1 ? state.regions[0].key : null);
    }
    if (view === "device" && arg) {
      await showDevice(arg);
    } else if (view === "changes") {
      $("panel").replaceChildren(await changeList(arg));
    } else if (view === "change" && arg) {
      $("panel").replaceChildren(await changePanel(arg, state.viewer, async (region, devices, links) => {
        await showMap(region);
        state.map.highlight(devices, links);
      }, route));
    } else if (view === "intents" && arg) {
      await showIntent(arg);
    } else if (view === "intents") {
      await showIntents(new URLSearchParams(query ?? ""));
    } else if (view === "events") {
      await showEvents(new URLSearchParams(query ?? ""));
    } else {
      await showMap(view === "region" ? arg : (state.regions.length === 1 ? state.regions[0].key : null));
      $("panel").replaceChildren(h("p", { class: "muted" }, arg ? "Select a device for its interfaces, neighbours and config." : "Select a region."));
    }
  } catch (error) {
    if (error.code === "UNAUTHENTICATED") {
      showSignIn("Signed out: the server no longer accepts this token (revoked or expired).");
      return;
    }
    $("panel").replaceChildren(h("p", { class: "error", role: "alert" }, error.message));
  }
}

function search(text) {
  const found = state.map.search(text);
  const list = $("found");
  list.replaceChildren(...found.slice(0, 20).map(n => h("li", {}, h("a", { href: `#/device/${encodeURIComponent(n.id())}` }, `${n.data("label")} ${n.data("address")}`))));
  return found;
}

$("signin").addEventListener("submit", event => {
  event.preventDefault();
  signIn($("token").value.trim());
});
$("signout").addEventListener("click", () => showSignIn("Signed out."));
$("theme").addEventListener("click", () => theme(document.documentElement.dataset.theme === "dark" ? "light" : "dark"));
$("region").addEventListener("change", e => { location.hash = e.target.value ? `#/region/${encodeURIComponent(e.target.value)}` : "#/"; });
$("search").addEventListener("input", e => search(e.target.value));
$("search").addEventListener("keydown", e => {
  const first = search(e.target.value)[0];
  if (e.key === "Enter" && first) {
    location.hash = `#/device/${encodeURIComponent(first.id())}`;
  }
});
document.addEventListener("keydown", e => {
  if (e.target.closest("input, textarea, select") || e.ctrlKey || e.metaKey || e.altKey) {
    if (e.key === "Escape") {
      e.target.blur();
    }
    return;
  }
  const keys = { "/": () => $("search").focus(), m: () => { location.hash = state.map.region ? `#/region/${state.map.region}` : "#/"; },
    c: () => { location.hash = "#/changes"; }, i: () => { location.hash = "#/intents"; }, e: () => { location.hash = "#/events"; }, t: () => $("theme").click(),
    Escape: () => { location.hash = state.map.region ? `#/region/${state.map.region}` : "#/"; } };
  if (keys[e.key]) {
    e.preventDefault();
    keys[e.key]();
  }
});
window.addEventListener("hashchange", route);
theme();
// Made while the sign-in form waits for a token: setting cytoscape up is a cost no one should wait for after signing in.
state.map = new NetworkMap($("map"), node => {
  location.hash = node.region && node.id.startsWith("region:") ? `#/region/${encodeURIComponent(node.region)}` : `#/device/${encodeURIComponent(node.id)}`;
});
session.token ? signIn(session.token) : showSignIn();
