// The intents view: a connectivity intent previewed against the live topology before anyone creates it. The form's
// values live in the URL (#/intents?a=…&b=…), so a preview is a link another operator can open and see the same.
import { gql } from "./api.js";
import { h, table, bps } from "./dom.js";

const PathFields = "deviceKeys linkKeys hops devices { key name region { key } }";
const PreviewQuery = `query($i: IntentInput!) { previewIntent(input: $i) {
  feasible reason reservedBps displacedIntentKeys
  path { ${PathFields} } backupPath { ${PathFields} }
  links { linkKey capacityBps headroomBeforeBps headroomAfterBps }
  conflicts { kind otherIntentKey message } } }`;

const Protections = ["NONE", "LINK_DISJOINT", "NODE_DISJOINT"];

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

/**
 * The form and, when the link names both ends, the preview. `highlight(region, path, backup)` receives the paths
 * (each { devices, links } of keys) to mark on the map.
 */
export async function intentsView(params, highlight) {
  const field = (name, label, attributes = {}) => h("label", {}, label, h("input", { name, value: params.get(name) ?? "", ...attributes }));
  const protection = h("select", { name: "protection" }, Protections.map(p => h("option", { value: p }, p.toLowerCase().replace("_", " "))));
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
  h("button", { type: "submit" }, "Preview"));
  const input = intentInput(params);
  // A new preview replaces the last one's marks; no preview leaves none.
  const result = input ? await preview(input, highlight) : (await highlight(null, null, null), null);
  return h("article", { class: "intents" },
    h("h2", {}, "Intents"),
    h("p", { class: "muted" }, "Preview a connectivity intent: its path and backup path on the map, the headroom it leaves on each link and what it conflicts with. A preview stores nothing."),
    form,
    result);
}

async function preview(input, highlight) {
  let result;
  try {
    result = (await gql(PreviewQuery, { i: input })).previewIntent;
  } catch (error) {
    // Bad input names its field (input.connectivity.a.deviceId: unknown device 'x'); the operator fixes the form.
    await highlight(null, null, null);
    return h("section", { class: "preview", "data-feasible": "error" }, h("p", { class: "error", role: "alert" }, error.message));
  }
  const paths = [result.path, result.backupPath].map(p => p && { devices: p.deviceKeys, links: p.linkKeys });
  await highlight(result.path?.devices[0]?.region?.key ?? null, paths[0], paths[1]);
  const hops = (title, p, kind) => p ? h("section", {}, h("h3", {}, `${title} · ${p.hops} hops`),
    h("ol", { class: `path ${kind}` }, p.devices.map((d, i) => h("li", {},
      h("a", { href: `#/device/${encodeURIComponent(d?.key ?? p.deviceKeys[i])}` }, d?.name ?? p.deviceKeys[i]))))) : null;
  return h("section", { class: "preview", "data-feasible": String(result.feasible) },
    h("p", { class: result.feasible ? "feasible" : "error", role: "status" },
      result.feasible ? `Feasible: ${bps(result.reservedBps) === "-" ? "no bandwidth" : bps(result.reservedBps)} reserved on each link.` : `Not feasible: ${result.reason}`),
    hops("Path", result.path, "primary"),
    hops("Backup path", result.backupPath, "backup"),
    result.links.length ? h("section", {}, h("h3", {}, "Headroom"),
      table(["link", "capacity", "before", "after"], result.links.map(l => [l.linkKey, bps(l.capacityBps), bps(l.headroomBeforeBps), bps(l.headroomAfterBps)]))) : null,
    result.conflicts.length ? h("section", {}, h("h3", {}, "Conflicts"),
      h("ul", {}, result.conflicts.map(c => h("li", {}, `${c.kind} with ${c.otherIntentKey}: ${c.message}`)))) : null,
    result.displacedIntentKeys.length ? h("p", {}, `Would displace: ${result.displacedIntentKeys.join(", ")}`) : null);
}
