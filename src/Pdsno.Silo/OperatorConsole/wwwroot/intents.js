// The intents: the stored ones by state and kind (#/intents?state=…&kind=…), one intent's page (#/intents/<key>), and
// a connectivity intent previewed against the live topology before anyone creates it. The form's values live in the
// URL (#/intents?a=…&b=…), so a preview is a link another operator can open and see the same.
import { gql, payload } from "./api.js";
import { h, table, bps, when } from "./dom.js";

const PathFields = "deviceKeys linkKeys hops devices { key name region { key } }";
const PreviewQuery = `query($i: IntentInput!) { previewIntent(input: $i) {
  feasible reason reservedBps displacedIntentKeys
  path { ${PathFields} } backupPath { ${PathFields} }
  links { linkKey capacityBps headroomBeforeBps headroomAfterBps }
  conflicts { kind otherIntentKey message } } }`;

/** What a row of the list shows; the live events carry the same fields, so a row is redrawn from either. */
export const IntentRowFields = "key title kind state reason reservedBps regionKeys updatedAt";

const IntentQuery = `query($id: ID!) { intent(id: $id) {
  ${IntentRowFields} creator createdAt
  connectivity { a { deviceKey device { name } interface prefix } b { deviceKey device { name } interface prefix }
    minBandwidthBps maxHops protection priority avoidDeviceKeys avoidLinkKeys avoidRegionKeys stayWithinRegionKeys }
  path { ${PathFields} } backupPath { ${PathFields} }
  changes { key title status sensitivity updatedAt }
  routes { deviceKey routes { prefix nextHop } }
  history { at from to actor note changeKey } } }`;

const Protections = ["NONE", "LINK_DISJOINT", "NODE_DISJOINT"];
export const IntentStates = ["INSTALL_REQ", "COMPILING", "INSTALLING", "INSTALLED", "RECOMPILING", "PENDING_APPROVAL", "CONFLICT", "FAILED", "WITHDRAW_REQ", "WITHDRAWING", "WITHDRAWN"];
const IntentKinds = ["CONNECTIVITY", "COMPLIANCE"];
const Writers = ["operator", "admin"];
const Gone = ["WITHDRAW_REQ", "WITHDRAWING", "WITHDRAWN"];

const words = value => value.toLowerCase().replaceAll("_", " ");
const status = value => h("span", { class: `status ${value}` }, value);
const intentLink = i => h("a", { href: `#/intents/${encodeURIComponent(i.key)}` }, i.title || i.key);

/** The preview's input from the link's parameters; null until both ends are named. */
export function intentInput(params) {
  const [a, b] = [params.get("a")?.trim(), params.get("b")?.trim()];
  if (!a || !b) {
    return null;
  }
  const number = name => params.get(name) ? Number(params.get(name)) : null;
  const mbps = number("mbps");
  return {
    key: params.get("key") || null,
    title: params.get("title") || null,
    kind: "CONNECTIVITY",
    connectivity: {
      a: { deviceId: a, prefix: params.get("prefix") || null },
      b: { deviceId: b },
      minBandwidthBps: mbps == null ? null : Math.round(mbps * 1e6),
      maxHops: number("hops"),
      protection: Protections.includes(params.get("protection")) ? params.get("protection") : null,
    },
  };
}

/** The state and kind the list is filtered by, from the link's parameters. */
export function intentFilter(params) {
  return {
    state: IntentStates.includes(params.get("state")) ? params.get("state") : null,
    kind: IntentKinds.includes(params.get("kind")) ? params.get("kind") : null,
  };
}

/**
 * The list, the form and, when the link names both ends, the preview with a button to create it. `highlight(region,
 * path, backup)` receives the paths (each { devices, links } of keys) to mark on the map. Answers the element and the
 * list's rows, which `updateRow` keeps live.
 */
export async function intentsView(params, viewer, highlight) {
  const input = intentInput(params);
  const [list, rows] = await intentList(intentFilter(params), pageSize(params));
  // A new preview replaces the last one's marks; no preview leaves none.
  const result = input ? await preview(input, viewer, highlight) : (await highlight(null, null, null), null);
  const create = h("section", { class: "new-intent" },
    h("h3", {}, "New intent"),
    h("p", { class: "muted" }, "Preview a connectivity intent: its path and backup path on the map, the headroom it leaves on each link and what it conflicts with. A preview stores nothing."),
    intentForm(params),
    result);
  // With a preview open, the preview comes first: it is what the operator just asked for.
  return [h("article", { class: "intents" }, h("h2", {}, "Intents"), ...(input ? [create, list] : [list, create])), rows];
}

// A page of the list: what a person reads before asking for more. A link may ask for another size (#/intents?first=…).
const PageSize = 50, MaxPageSize = 200;

/** The rows per page the link asks for. */
export function pageSize(params) {
  const first = Number.parseInt(params.get("first") ?? "", 10);
  return first > 0 ? Math.min(first, MaxPageSize) : PageSize;
}

async function intentList(filter, size) {
  const read = after => gql(`query($f: IntentFilter, $n: Int, $a: String) { intents(first: $n, after: $a, filter: $f) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { ${IntentRowFields} } } } }`, { f: filter, n: size, a: after });
  const { intents } = await read(null);
  const link = (name, value) => {
    const q = new URLSearchParams(Object.entries({ ...filter, [name]: value, first: size === PageSize ? null : size }).filter(([, v]) => v));
    return h("a", { href: `#/intents${q.size ? `?${q}` : ""}`, "aria-current": filter[name] === value ? "page" : null }, value ? words(value) : "all");
  };
  const body = h("tbody", {}, intents.edges.map(e => intentRow(e.node)));
  const none = h("p", { class: "muted" }, "No intents here.");
  const count = h("p", { class: "muted", role: "status" });
  // Pages follow the keys from where the last one ended, so rows that live updates put at the top are not shown twice.
  let [after, total] = [intents.pageInfo.endCursor, intents.totalCount];
  const more = action("more", "More", async () => {
    const { intents: next } = await read(after);
    const shown = new Set([...body.rows].map(r => r.dataset.intent));
    body.append(...next.edges.map(e => e.node).filter(i => !shown.has(i.key)).map(intentRow));
    [after, total] = [next.pageInfo.endCursor ?? after, next.totalCount];
    paging(next.pageInfo.hasNextPage);
  });
  const paging = hasMore => {
    if (hasMore !== undefined) {
      more.hidden = !hasMore;
      more.querySelector("button").disabled = false;
    }
    none.hidden = body.rows.length > 0;
    count.textContent = body.rows.length > 0 ? `${body.rows.length} shown of ${Math.max(total, body.rows.length)}` : "";
  };
  paging(intents.pageInfo.hasNextPage);
  const rows = { body, filter, changed: () => paging() };
  return [h("section", { class: "intent-list" },
    h("nav", { class: "filters", "aria-label": "state" }, link("state", null), IntentStates.map(s => link("state", s))),
    h("nav", { class: "filters", "aria-label": "kind" }, link("kind", null), IntentKinds.map(k => link("kind", k))),
    h("table", {}, h("thead", {}, h("tr", {}, ["intent", "state", "kind", "reserved", "regions", "updated"].map(x => h("th", {}, x)))), body),
    none, count, more), rows];
}

function intentRow(i) {
  return h("tr", { "data-intent": i.key, "data-state": i.state },
    h("td", {}, intentLink(i)), h("td", {}, status(i.state), i.reason ? h("span", { class: "muted" }, ` ${i.reason}`) : null),
    h("td", {}, words(i.kind)), h("td", {}, bps(i.reservedBps)), h("td", {}, i.regionKeys.join(", ")), h("td", {}, when(i.updatedAt)));
}

/** Redraws the row of an intent from its latest version: new ones that match the filter come first, those that no longer match go. */
export function updateRow(rows, intent) {
  if (!intent) {
    return;
  }
  const current = [...rows.body.rows].find(r => r.dataset.intent === intent.key);
  const matches = (!rows.filter.state || rows.filter.state === intent.state) && (!rows.filter.kind || rows.filter.kind === intent.kind);
  if (!matches) {
    current?.remove();
  } else if (current) {
    current.replaceWith(intentRow(intent));
  } else {
    rows.body.prepend(intentRow(intent));
  }
  rows.changed();
}

function intentForm(params) {
  const field = (name, label, attributes = {}) => h("label", {}, label, h("input", { name, value: params.get(name) ?? "", ...attributes }));
  const protection = h("select", { name: "protection" }, Protections.map(p => h("option", { value: p }, words(p))));
  protection.value = params.get("protection") ?? "NONE";
  const form = h("form", { class: "intent-form", onsubmit: event => {
    event.preventDefault();
    const values = new URLSearchParams([...new FormData(form)].filter(([, v]) => String(v).trim() && v !== "NONE"));
    location.hash = `#/intents?${values}`;
  } },
  field("a", "From device", { required: true, placeholder: "name or key" }),
  field("prefix", "Prefix behind it", { placeholder: "optional, e.g. 192.168.10.0/24" }),
  field("b", "To device", { required: true, placeholder: "name or key" }),
  field("mbps", "Bandwidth (Mbps)", { type: "number", min: 0, step: "any" }),
  field("hops", "Most hops", { type: "number", min: 1 }),
  h("label", {}, "Backup path", protection),
  field("title", "Title", { placeholder: "optional" }),
  field("key", "Key", { placeholder: "optional; made up when empty" }),
  h("button", { type: "submit" }, "Preview"));
  return form;
}

function pathList(title, p, kind) {
  return p ? h("section", {}, h("h3", {}, `${title} · ${p.hops} hops`),
    h("ol", { class: `path ${kind}` }, p.devices.map((d, i) => h("li", {},
      h("a", { href: `#/device/${encodeURIComponent(d?.key ?? p.deviceKeys[i])}` }, d?.name ?? p.deviceKeys[i]))))) : null;
}

/**
 * Marks an intent's (or a preview's) path and backup path on the map of the region its path starts in, or of the one
 * of its regions the map shows already; answers, for a path through several regions, buttons that draw each region's
 * map (or all regions) with the marks kept.
 */
async function highlightPaths(highlight, path, backup) {
  const regionsOf = p => p.devices.map(d => d?.region?.key).filter(Boolean);
  const [primary, spare] = [path, backup].map(p => p && { devices: p.deviceKeys, links: p.linkKeys, regions: regionsOf(p) });
  const crossed = [...new Set([...primary?.regions ?? [], ...spare?.regions ?? []])];
  await highlight(crossed, primary, spare);
  if (crossed.length < 2) {
    return null;
  }
  const show = region => h("button", { type: "button", "data-region": region, onclick: () => highlight(region, primary, spare) }, region || "all regions");
  return h("nav", { class: "map-regions", "aria-label": "regions on the map" }, h("span", { class: "muted" }, "On the map: "), crossed.map(show), show(""));
}

async function preview(input, viewer, highlight) {
  let result;
  try {
    result = (await gql(PreviewQuery, { i: input })).previewIntent;
  } catch (error) {
    // Bad input names its field (input.connectivity.a.deviceId: unknown device 'x'); the operator fixes the form.
    await highlight(null, null, null);
    return h("section", { class: "preview", "data-feasible": "error" }, h("p", { class: "error", role: "alert" }, error.message));
  }
  const regions = await highlightPaths(highlight, result.path, result.backupPath);
  const create = async () => {
    const { intent } = payload(await gql(`mutation($i: IntentInput!) { createIntent(input: $i) { intent { key } errors { code message } } }`, { i: input }));
    location.hash = `#/intents/${encodeURIComponent(intent.key)}`;
  };
  return h("section", { class: "preview", "data-feasible": String(result.feasible) },
    h("p", { class: result.feasible ? "feasible" : "error", role: "status" },
      result.feasible ? `Feasible: ${bps(result.reservedBps) === "-" ? "no bandwidth" : bps(result.reservedBps)} reserved on each link.` : `Not feasible: ${result.reason}`),
    regions,
    pathList("Path", result.path, "primary"),
    pathList("Backup path", result.backupPath, "backup"),
    result.links.length ? h("section", {}, h("h3", {}, "Headroom"),
      table(["link", "capacity", "before", "after"], result.links.map(l => [l.linkKey, bps(l.capacityBps), bps(l.headroomBeforeBps), bps(l.headroomAfterBps)]))) : null,
    result.conflicts.length ? h("section", {}, h("h3", {}, "Conflicts"),
      h("ul", {}, result.conflicts.map(c => h("li", {}, `${c.kind} with ${c.otherIntentKey}: ${c.message}`)))) : null,
    result.displacedIntentKeys.length ? h("p", {}, `Would displace: ${result.displacedIntentKeys.join(", ")}`) : null,
    // Created as previewed: the server compiles it again, and its approval rules decide whether it installs at once.
    result.feasible && Writers.some(r => viewer.roles.includes(r)) ? action("create", "Create intent", create) : null);
}

/**
 * A button that runs a mutation: disabled while it runs, and a refusal shown beside it as the API gave it, so the
 * operator sees why rather than a guess.
 */
function action(name, label, run) {
  const message = h("p", { class: "error", role: "alert" });
  const button = h("button", { type: "button", "data-action": name, onclick: async () => {
    message.textContent = "";
    button.disabled = true;
    try {
      await run();
    } catch (error) {
      message.textContent = error.message;
      button.disabled = false;
    }
  } }, label);
  return h("div", { class: "actions" }, button, message);
}

function endpoint(e) {
  return h("span", {}, h("a", { href: `#/device/${encodeURIComponent(e.deviceKey)}` }, e.device?.name ?? e.deviceKey),
    e.interface ? ` ${e.interface}` : "", e.prefix ? ` (${e.prefix})` : "");
}

function constraints(c) {
  const list = (label, keys) => keys.length ? [label, keys.join(", ")] : null;
  return table(["constraint", "value"], [
    ["from", endpoint(c.a)], ["to", endpoint(c.b)],
    ["bandwidth", bps(c.minBandwidthBps)], ["most hops", c.maxHops ?? "-"], ["backup path", words(c.protection)], ["priority", c.priority],
    list("avoid devices", c.avoidDeviceKeys), list("avoid links", c.avoidLinkKeys), list("avoid regions", c.avoidRegionKeys),
    list("only regions", c.stayWithinRegionKeys)].filter(Boolean));
}

/** One intent: its state and why, constraints, reservation, paths (marked on the map), changes, routes and history. */
export async function intentPage(key, viewer, highlight, reload) {
  const { intent: i } = await gql(IntentQuery, { id: key }).catch(error => {
    if (error.code === "NOT_FOUND") {
      return { intent: null };
    }
    throw error;
  });
  if (!i) {
    await highlight(null, null, null);
    return h("p", { class: "error" }, `No intent ${key} among the intents your token sees.`);
  }
  const regions = await highlightPaths(highlight, i.path, i.backupPath);
  const withdraw = async () => {
    payload(await gql(`mutation($id: ID!) { withdrawIntent(input: { id: $id }) { intent { state } errors { code message } } }`, { id: i.key }));
    reload();
  };
  const mayWithdraw = !Gone.includes(i.state) && Writers.some(r => viewer.roles.includes(r));
  return h("article", { class: "intent", "data-intent": i.key, "data-state": i.state },
    h("h2", {}, i.title || i.key, " ", status(i.state)),
    h("p", { class: "muted" }, `${words(i.kind)} · ${i.key} · created by ${i.creator} ${when(i.createdAt)} · updated ${when(i.updatedAt)} · regions ${i.regionKeys.join(", ")}`),
    i.reason ? h("p", { class: ["FAILED", "CONFLICT"].includes(i.state) ? "error" : "", role: "status" }, i.reason) : null,
    h("p", { class: "reserved" }, i.reservedBps ? `Reserved on every link of its path${i.backupPath ? "s" : ""}: ${bps(i.reservedBps)}` : "It reserves no bandwidth."),
    mayWithdraw ? action("withdraw", "Withdraw", withdraw) : null,
    i.connectivity ? h("section", {}, h("h3", {}, "Constraints"), constraints(i.connectivity)) : null,
    regions,
    pathList("Path", i.path, "primary"),
    pathList("Backup path", i.backupPath, "backup"),
    i.path || Gone.includes(i.state) ? null : h("p", { class: "muted" }, "No path installed."),
    h("h3", {}, "Changes"),
    i.changes.length ? table(["change", "status", "sensitivity", "updated"], i.changes.filter(Boolean).map(c => [
      h("a", { href: `#/change/${encodeURIComponent(c.key)}` }, c.title || c.key), status(c.status), c.sensitivity, when(c.updatedAt)]))
      : h("p", { class: "muted" }, "None yet."),
    i.routes.length ? h("details", {}, h("summary", {}, "Routes it holds"),
      table(["device", "prefix", "next hop"], i.routes.flatMap(d => d.routes.map(r => [d.deviceKey, r.prefix, r.nextHop])))) : null,
    h("h3", {}, "History"),
    h("section", { class: "history" }, table(["at", "state", "by", "note", "change"], i.history.map(x => [when(x.at),
      x.from ? `${x.from} → ${x.to}` : x.to, x.actor, x.note ?? "", x.changeKey ? h("a", { href: `#/change/${encodeURIComponent(x.changeKey)}` }, x.changeKey) : ""]))));
}
