// The network map: a region's devices and links from topology(regionId), kept live from topology events.
import cytoscape from "./cytoscape.esm.min.js";
import { gql } from "./api.js";

const TopologyQuery = `query($r: ID!) { topology(regionId: $r) {
  region { key name }
  nodes { key label status role external regionKey latitude longitude device { managementAddress } }
  edges { key source target sourceInterface targetInterface status speedBps } } }`;
const UtilizationQuery = `query($r: ID) { events(regionId: $r, last: 500, types: [INTERFACE_UTILIZATION_HIGH, INTERFACE_UTILIZATION_NORMAL]) {
  edges { node { type device interface } } } }`;

const shapes = { core: "diamond", distribution: "hexagon", access: "ellipse" };
const sizes = { core: 30, distribution: 22, access: 14 };

function palette() {
  const css = getComputedStyle(document.documentElement);
  const v = name => css.getPropertyValue(name).trim();
  return {
    text: v("--text"), muted: v("--muted"), up: v("--ok"), down: v("--bad"), warn: v("--warn"),
    inactive: v("--inactive"), high: v("--hot"), highlight: v("--accent"), bg: v("--bg"),
  };
}

function style() {
  const p = palette();
  return [
    { selector: "node", style: {
      "background-color": p.up, shape: e => shapes[e.data("role")] ?? "round-rectangle",
      width: e => sizes[e.data("role")] ?? 16, height: e => sizes[e.data("role")] ?? 16,
      label: "data(label)", "font-size": 9, color: p.text, "min-zoomed-font-size": 8,
      "text-valign": "bottom", "text-margin-y": 2, "border-width": 0 } },
    { selector: "node[status = 'UNREACHABLE']", style: { "background-color": p.warn, "border-width": 3, "border-color": p.down } },
    { selector: "node[status = 'INACTIVE']", style: { "background-color": p.inactive } },
    { selector: "node[?external]", style: { "background-color": p.bg, "border-width": 1, "border-color": p.muted, "border-style": "dashed" } },
    { selector: "node.region", style: { shape: "round-rectangle", "background-color": p.highlight, width: "data(size)", height: "data(size)", "font-size": 14 } },
    { selector: "edge", style: { width: 1.5, "line-color": p.muted, "curve-style": "haystack" } },
    { selector: "edge[util = 'high']", style: { "line-color": p.high, width: 4 } },
    { selector: "edge[status = 'DOWN']", style: { "line-color": p.down, "line-style": "dashed", width: 2 } },
    { selector: ".impact", style: { "border-width": 4, "border-color": p.highlight, "line-color": p.highlight, width: 5, "z-index": 10 } },
    { selector: ":selected", style: { "border-width": 4, "border-color": p.highlight } },
    { selector: ".faded", style: { opacity: 0.25 } },
  ];
}

// A fixed starting point per device, so a force layout starts, and therefore ends, the same on every visit.
function seeded(key, spread) {
  let h = 2166136261;
  for (const ch of key) {
    h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  }
  return { x: ((h >>> 0) % 1000) / 1000 * spread, y: ((h >>> 10) % 1000) / 1000 * spread };
}

// Equirectangular, scaled for the region's mean latitude; devices on one spot are fanned out a little. The ends of
// links into other regions are left to stand beside their neighbour here, not where they are.
function geographic(nodes) {
  const own = nodes.filter(n => !n.external);
  const placed = own.filter(n => n.latitude != null && n.longitude != null);
  // Most Topology Zoo files leave a few devices without coordinates; those stand beside a neighbour that has some.
  if (placed.length === 0 || placed.length < own.length / 2) {
    return null;
  }
  const meanLat = placed.reduce((s, n) => s + n.latitude, 0) / placed.length;
  const k = Math.cos(meanLat * Math.PI / 180);
  const xs = placed.map(n => n.longitude * k), ys = placed.map(n => -n.latitude);
  const span = Math.max(Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys), 0.01);
  const scale = Math.max(400, Math.sqrt(placed.length) * 90) / span, taken = new Map(), positions = {};
  for (const n of placed) {
    const spot = `${n.latitude},${n.longitude}`;
    const i = taken.get(spot) ?? 0;
    taken.set(spot, i + 1);
    positions[n.key] = { x: n.longitude * k * scale + 12 * Math.cos(i * 2.4) * Math.sqrt(i), y: -n.latitude * scale + 12 * Math.sin(i * 2.4) * Math.sqrt(i) };
  }
  return positions;
}

export class NetworkMap {
  constructor(container, onSelect) {
    this.cy = cytoscape({ container, style: style(), minZoom: 0.02, maxZoom: 5, textureOnViewport: true, hideEdgesOnViewport: true, boxSelectionEnabled: false });
    this.cy.on("tap", "node", e => onSelect(e.target.data()));
    this.region = null;
    this.version = 0;
  }

  restyle() {
    this.cy.style(style());
  }

  /** Draws every region as one node (the map of all regions); a region is opened by selecting it. */
  showRegions(regions) {
    this.region = null;
    this.cy.elements().remove();
    this.cy.add(regions.map((r, i) => ({
      group: "nodes", classes: "region",
      data: { id: `region:${r.key}`, region: r.key, label: `${r.name} (${r.deviceCount})`, size: 30 + Math.sqrt(r.deviceCount) * 6 },
      position: { x: (i % 4) * 260, y: Math.floor(i / 4) * 260 },
    })));
    this.cy.fit(undefined, 40);
  }

  /** Draws a region; resolves once the drawing is laid out and can be used. */
  async showRegion(regionKey) {
    const version = ++this.version;
    const [{ topology }, utilization] = await Promise.all([
      gql(TopologyQuery, { r: regionKey }),
      gql(UtilizationQuery, { r: regionKey }).catch(() => null),
    ]);
    if (version !== this.version) {
      return;
    }
    this.region = topology.region.key;
    const hot = new Set();
    for (const { node } of utilization?.events.edges ?? []) {
      const end = `${node.device}:${node.interface}`;
      node.type === "INTERFACE_UTILIZATION_HIGH" ? hot.add(end) : hot.delete(end);
    }
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(topology.nodes.map(n => ({
        group: "nodes",
        data: { id: n.key, label: n.label ?? n.key, status: n.status, role: n.role, external: n.external, region: n.regionKey, address: n.device?.managementAddress ?? "" },
      })));
      this.cy.add(topology.edges.filter(e => this.cy.getElementById(e.source).nonempty() && this.cy.getElementById(e.target).nonempty()).map(e => ({
        group: "edges",
        data: { id: e.key, source: e.source, target: e.target, a: e.sourceInterface, b: e.targetInterface, status: e.status, speed: e.speedBps,
          util: hot.has(`${e.source}:${e.sourceInterface}`) || hot.has(`${e.target}:${e.targetInterface}`) ? "high" : "normal" },
      })));
    });
    await this.layout(topology.nodes);
  }

  async layout(nodes) {
    const key = `pdsno.layout.${this.region}`;
    const saved = JSON.parse(localStorage.getItem(key) ?? "{}");
    const geo = geographic(nodes);
    const known = geo ? this.besideNeighbours(geo) : saved;
    const spread = Math.sqrt(nodes.length) * 60;
    const place = n => known[n.id()] ?? this.nearNeighbour(n, known) ?? seeded(n.id(), spread);
    if (geo || nodes.every(n => saved[n.key])) {
      this.cy.layout({ name: "preset", positions: place, fit: true, padding: 30 }).run();
      return;
    }
    this.cy.nodes().forEach(n => n.position(place(n)));
    // cose costs the square of the devices per iteration: fewer iterations for a large region keep it to a second or two.
    const run = this.cy.layout({ name: "cose", randomize: false, animate: false, fit: true, padding: 30, numIter: nodes.length > 300 ? 120 : 600, nodeRepulsion: () => 8000 });
    const done = run.promiseOn("layoutstop");
    run.run();
    await done;
    const positions = {};
    this.cy.nodes().forEach(n => { positions[n.id()] = n.position(); });
    localStorage.setItem(key, JSON.stringify(positions));
  }

  /** Positions for the devices without coordinates, beside a placed neighbour, a hop further each pass. */
  besideNeighbours(positions) {
    const known = { ...positions };
    for (let pass = 0; pass < 8; pass++) {
      let placedAny = false;
      this.cy.nodes().filter(n => !known[n.id()]).forEach((n, i) => {
        const beside = this.nearNeighbour(n, known, i);
        if (beside) {
          known[n.id()] = beside;
          placedAny = true;
        }
      });
      if (!placedAny) {
        break;
      }
    }
    return known;
  }

  nearNeighbour(node, known, i = 0) {
    const placed = node.neighborhood("node").map(n => known[n.id()]).find(p => p);
    return placed ? { x: placed.x + 20 * Math.cos(i * 2.4 + 0.8), y: placed.y + 20 * Math.sin(i * 2.4 + 0.8) } : null;
  }

  /** Applies one topology event to the drawing; answers whether it changed something drawn. */
  apply(event) {
    const cy = this.cy;
    if (event.type === "DEVICE_STATUS_CHANGED") {
      const node = cy.getElementById(event.device);
      node.nonempty() && node.data("status", event.newValue);
      return node.nonempty();
    }
    if (event.type === "LINK_DOWN" || event.type === "LINK_UP") {
      const edge = cy.getElementById(event.link);
      edge.nonempty() && edge.data("status", event.type === "LINK_DOWN" ? "DOWN" : "UP");
      return edge.nonempty();
    }
    if (event.type === "INTERFACE_UTILIZATION_HIGH" || event.type === "INTERFACE_UTILIZATION_NORMAL") {
      const edges = cy.edges().filter(e => (e.data("source") === event.device && e.data("a") === event.interface)
        || (e.data("target") === event.device && e.data("b") === event.interface));
      edges.data("util", event.type === "INTERFACE_UTILIZATION_HIGH" ? "high" : "normal");
      return edges.nonempty();
    }
    return false;
  }

  /** The devices whose name or management address contains the text. */
  search(text) {
    const t = text.trim().toLowerCase();
    return t ? this.cy.nodes().filter(n => !n.hasClass("region") && (n.data("label").toLowerCase().includes(t) || n.data("address").includes(t))) : this.cy.collection();
  }

  focus(key) {
    const node = this.cy.getElementById(key);
    if (node.nonempty()) {
      this.cy.elements().unselect();
      node.select();
      this.cy.animate({ center: { eles: node }, zoom: Math.max(this.cy.zoom(), 1) }, { duration: 200 });
    }
    return node.nonempty();
  }

  /** Marks the devices and links a change or path concerns, fading the rest; an empty list clears it. */
  highlight(deviceKeys, linkKeys) {
    const cy = this.cy;
    cy.elements().removeClass("impact faded");
    const marked = cy.collection([...deviceKeys.map(k => cy.getElementById(k)), ...linkKeys.map(k => cy.getElementById(k))]).filter(e => e.nonempty());
    if (marked.nonempty()) {
      cy.elements().not(marked).addClass("faded");
      marked.addClass("impact");
    }
  }
}
