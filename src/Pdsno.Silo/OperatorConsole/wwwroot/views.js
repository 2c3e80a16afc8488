// The side panel's views: a device, the changes, one change, the event log. Each returns an element.
import { gql, payload } from "./api.js";
import { h, table, sparkline, bps, when } from "./dom.js";

const DeviceQuery = `query($id: ID!) { device(id: $id) {
  key name vendor model osVersion role managementAddress status statusSince problems region { key name }
  interfaces { name speedBps adminStatus operStatus }
  neighbors { remoteDeviceKey localInterface remoteInterface device { name status } link { status } }
  recentTelemetry { interface inUtilization outUtilization }
  config { version observedAt lockedBy degradedReason drift { path before after }
    intended { hostname location contact ntpServers dnsServers } observed { hostname location contact ntpServers dnsServers } }
  configHistory(first: 10) { edges { node { version changeId actor appliedAt rollback } } } } }`;
const DeviceIntentsQuery = `query($id: ID!) { intents(first: 50, filter: { deviceId: $id }) { totalCount edges { node { key title state } } } }`;

export async function devicePanel(key, regionKey) {
  // The intents read beside the device: for a device the read model does not know it fails, and the panel says what the device read found.
  const [{ device: d }, intents] = await Promise.all([gql(DeviceQuery, { id: key }), gql(DeviceIntentsQuery, { id: key }).then(x => x.intents, () => null)]);
  if (!d) {
    return h("p", { class: "error" }, `No device ${key} among the devices your token sees.`);
  }
  const samples = new Map();
  for (const s of d.recentTelemetry) {
    samples.set(s.interface, [...(samples.get(s.interface) ?? []), Math.max(s.inUtilization ?? 0, s.outUtilization ?? 0)]);
  }
  const config = d.config;
  return h("article", { class: "device", "data-device": d.key },
    h("h2", {}, d.name, " ", h("span", { class: `status ${d.status}` }, d.status)),
    h("p", { class: "muted" }, `${d.role} · ${d.vendor} ${d.model} · ${d.osVersion} · ${d.managementAddress} · region `,
      h("a", { href: `#/region/${encodeURIComponent(d.region?.key ?? regionKey)}` }, d.region?.name ?? regionKey), ` · since ${when(d.statusSince)}`),
    d.problems.length ? h("section", {}, h("h3", {}, "Problems"), h("ul", { class: "problems" }, d.problems.map(p => h("li", {}, p)))) : null,
    h("h3", {}, "Interfaces"),
    table(["name", "oper", "admin", "speed", "utilization"], d.interfaces.map(i => {
      const u = samples.get(i.name) ?? [];
      return [i.name, h("span", { class: `status ${i.operStatus}` }, i.operStatus), i.adminStatus, bps(i.speedBps),
        u.length ? h("span", { class: "util" }, sparkline(u), ` ${u[u.length - 1].toFixed(1)} %`) : "-"];
    })),
    h("h3", {}, "Neighbours"),
    table(["local", "device", "remote", "link"], d.neighbors.map(n => [n.localInterface,
      h("a", { href: `#/device/${encodeURIComponent(n.remoteDeviceKey)}` }, n.device?.name ?? n.remoteDeviceKey),
      n.remoteInterface, h("span", { class: `status ${n.link.status}` }, n.link.status)])),
    h("h3", {}, "Intents"),
    intents?.edges.length
      ? h("ul", { class: "intents-here" }, intents.edges.map(({ node: i }) => h("li", { "data-intent": i.key }, intentLink(i.key, i.title), " ", h("span", { class: `status ${i.state}` }, i.state))),
        intents.totalCount > intents.edges.length ? h("li", { class: "muted" }, `and ${intents.totalCount - intents.edges.length} more`) : null)
      : h("p", { class: "muted" }, "No intent ends at this device or passes through it."),
    h("h3", {}, "Config"),
    config ? h("section", { class: "config" },
      h("p", {}, `version ${config.version} · observed ${when(config.observedAt)}`, config.lockedBy ? ` · locked by change ${config.lockedBy}` : "",
        config.degradedReason ? ` · degraded: ${config.degradedReason}` : ""),
      config.drift.length
        ? h("div", { class: "drift" }, h("h4", {}, "Drift (observed differs from intended)"), diffTable(config.drift))
        : h("p", { class: "muted" }, "No drift: observed matches intended."),
      h("details", {}, h("summary", {}, "Intended"), h("pre", {}, JSON.stringify(config.intended, null, 2))),
      h("details", {}, h("summary", {}, "Observed"), h("pre", {}, JSON.stringify(config.observed, null, 2))),
      h("h4", {}, "History"),
      table(["version", "applied", "by", "change"], d.configHistory.edges.map(({ node: v }) => [v.version, when(v.appliedAt), v.actor ?? "",
        v.changeId ? h("a", { href: `#/change/${encodeURIComponent(v.changeId)}` }, v.changeId + (v.rollback ? " (rollback)" : "")) : ""])))
      : h("p", { class: "muted" }, "No config read from this device yet."));
}

function intentLink(key, title) {
  return h("a", { href: `#/intents/${encodeURIComponent(key)}` }, title || key);
}

function intentLinks(keys) {
  return keys.flatMap((key, n) => [n ? ", " : null, intentLink(key)]);
}

function diffTable(entries) {
  return table(["path", "before", "after"], entries.map(e => [e.path, h("del", {}, e.before ?? ""), h("ins", {}, e.after ?? "")]));
}

export const ChangeStatuses = ["PENDING_APPROVAL", "APPROVED", "EXECUTING", "ROLLING_BACK", "APPLIED", "FAILED_ROLLED_BACK", "FAILED_DEGRADED", "REJECTED", "CANCELLED", "EXPIRED"];

export async function changeList(status) {
  const { changes } = await gql(`query($s: ChangeStatus) { changes(first: 100, filter: { status: $s }) {
    edges { node { key title status sensitivity proposer regionKeys updatedAt } } } }`, { s: status || null });
  const rows = changes.edges.map(e => e.node);
  return h("article", { class: "changes" },
    h("h2", {}, "Changes"),
    h("nav", { class: "filters" }, h("a", { href: "#/changes", "aria-current": status ? null : "page" }, "all"),
      ChangeStatuses.map(s => h("a", { href: `#/changes/${s}`, "aria-current": s === status ? "page" : null }, s.toLowerCase().replaceAll("_", " ")))),
    rows.length ? table(["change", "status", "sensitivity", "regions", "proposer", "updated"], rows.map(c => [
      h("a", { href: `#/change/${encodeURIComponent(c.key)}` }, c.title || c.key), h("span", { class: `status ${c.status}` }, c.status),
      c.sensitivity, c.regionKeys.join(", "), c.proposer, when(c.updatedAt)]))
      : h("p", { class: "muted" }, "No changes in this state."));
}

const ChangeQuery = `query($id: ID!) { change(id: $id) {
  key title reason status sensitivity reasons proposer emergency approvalsNeeded failure regionKeys intentKeys
  targets { deviceKey deviceName regionKey diff { path before after } unifiedDiff result { status message } }
  impact { linksDown { linkKey deviceAKey interfaceA deviceBKey interfaceB } devicesIsolatedKeys intents }
  approvals { approver decision comment at }
  token { expiresAt redeemed }
  history { at from to actor note } } }`;

const Actions = {
  approve: { mutation: "approveChange", label: "Approve", when: ["PENDING_APPROVAL"], roles: ["region-approver", "global-approver"], comment: true },
  reject: { mutation: "rejectChange", label: "Reject", when: ["PENDING_APPROVAL"], roles: ["region-approver", "global-approver"], comment: true },
  execute: { mutation: "executeChange", label: "Execute", when: ["APPROVED"], roles: ["operator", "admin"] },
  cancel: { mutation: "cancelChange", label: "Cancel", when: ["PENDING_APPROVAL", "APPROVED"], roles: ["operator", "admin"] },
};

/** A change with its diff and its actions; `highlight` receives the devices and links the change touches. */
export async function changePanel(key, viewer, highlight, reload) {
  const { change: c } = await gql(ChangeQuery, { id: key });
  if (!c) {
    return h("p", { class: "error" }, `No change ${key} among the changes your token sees.`);
  }
  const devices = [...c.targets.map(t => t.deviceKey), ...c.impact.devicesIsolatedKeys];
  highlight(c.regionKeys[0], devices, c.impact.linksDown.map(l => l.linkKey));
  const comment = h("textarea", { id: "comment", rows: 2, placeholder: "Comment (needed to approve or reject)" });
  const message = h("p", { class: "error", role: "alert" });
  const act = async name => {
    const action = Actions[name];
    message.textContent = "";
    try {
      const input = action.comment ? { changeId: c.key, comment: comment.value } : { changeId: c.key };
      payload(await gql(`mutation($i: ChangeActionInput!) { ${action.mutation}(input: $i) { change { status } errors { code message } } }`, { i: input }));
      reload();
    } catch (error) {
      message.textContent = error.message;
    }
  };
  const allowed = Object.entries(Actions).filter(([, a]) => a.when.includes(c.status) && a.roles.some(r => viewer.roles.includes(r)));
  return h("article", { class: "change", "data-change": c.key },
    h("h2", {}, c.title || c.key, " ", h("span", { class: `status ${c.status}` }, c.status)),
    h("p", {}, `${c.sensitivity}${c.emergency ? " (emergency)" : ""} · proposed by ${c.proposer} · regions ${c.regionKeys.join(", ")}`),
    c.reason ? h("p", {}, c.reason) : null,
    c.intentKeys.length ? h("p", {}, `Installs or removes the routes of ${c.intentKeys.length > 1 ? "the intents" : "the intent"} `, intentLinks(c.intentKeys), ".") : null,
    h("ul", { class: "muted" }, c.reasons.map(r => h("li", {}, r))),
    c.approvalsNeeded ? h("p", {}, `Needs: ${c.approvalsNeeded}`) : null,
    c.failure ? h("p", { class: "error" }, c.failure) : null,
    h("h3", {}, "Impact"),
    c.impact.linksDown.length || c.impact.devicesIsolatedKeys.length
      ? h("ul", {}, c.impact.linksDown.map(l => h("li", {}, `link down: ${l.deviceAKey} ${l.interfaceA} - ${l.deviceBKey} ${l.interfaceB}`)),
        c.impact.devicesIsolatedKeys.map(d => h("li", {}, `isolated: ${d}`)))
      : h("p", { class: "muted" }, "No link goes down and no device is cut off."),
    c.impact.intents.length ? h("p", {}, "Intents it affects: ", intentLinks(c.impact.intents)) : null,
    h("h3", {}, "Diff"),
    c.targets.map(t => h("section", { class: "target" },
      h("h4", {}, h("a", { href: `#/device/${encodeURIComponent(t.deviceKey)}` }, t.deviceName), t.result ? ` · ${t.result.status} ${t.result.message ?? ""}` : ""),
      diffTable(t.diff),
      h("details", {}, h("summary", {}, "Unified diff"), h("pre", {}, t.unifiedDiff)))),
    allowed.length ? h("section", { class: "actions" },
      allowed.some(([, a]) => a.comment) ? comment : null,
      allowed.map(([name, a]) => h("button", { type: "button", "data-action": name, onclick: () => act(name) }, a.label)),
      message) : null,
    h("h3", {}, "Approvals"),
    c.approvals.length ? table(["by", "decision", "comment", "at"], c.approvals.map(a => [a.approver, a.decision, a.comment ?? "", when(a.at)])) : h("p", { class: "muted" }, "None yet."),
    h("h3", {}, "History"),
    table(["at", "from", "to", "by", "note"], c.history.map(x => [when(x.at), x.from ?? "", x.to, x.actor ?? "", x.note ?? ""])));
}

export async function eventTypes() {
  const { __type } = await gql(`{ __type(name: "TopologyEventType") { enumValues { name } } }`);
  return __type.enumValues.map(v => v.name);
}

export function eventRow(e) {
  return h("tr", { "data-sequence": e.sequence },
    h("td", {}, e.sequence), h("td", {}, when(e.occurredAt)), h("td", {}, e.type),
    h("td", {}, e.region ? h("a", { href: `#/region/${encodeURIComponent(e.region)}` }, e.region) : ""),
    h("td", {}, e.device ? h("a", { href: `#/device/${encodeURIComponent(e.device)}` }, e.device) : ""),
    h("td", {}, [e.interface, e.link].filter(Boolean).join(" ")),
    h("td", {}, e.oldValue || e.newValue ? `${e.oldValue ?? ""} → ${e.newValue ?? ""}` : ""));
}
