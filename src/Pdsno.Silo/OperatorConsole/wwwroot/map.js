// The network map: a region's devices and links from topology(regionId), kept live from topology events.
import cytoscape from "./cytoscape.esm.min.js";
import { gql } from "./api.js";

// One request, read in order (queries run their fields serially): the log's newest sequence first, so following from
// it after the drawing replays whatever happened during the topology read and misses nothing.
const RegionQuery = `query($r: ID!) {
  newest: events(last: 1, regionId: $r) { edges { node { sequence } } }
  topology(regionId: $r) {
    region { key name }
    nodes { key label status role external regionKey latitude longitude device { managementAddress } }
    edges { key source target sourceInterface targetInterface status speedBps } }
  utilization: events(regionId: $r, last: 500, types: [INTERFACE_UTILIZATION_HIGH, INTERFACE_UTILIZATION_NORMAL]) {
    edges { node { type device interface } } } }`;

// Shapes and sizes by role as selectors with fixed values: a function per property would be called per node on every
// style pass, which on a 754-device region is most of the drawing's time.
const roles = { core: ["diamond", 30], distribution: ["hexagon", 22], access: ["ellipse", 14] };

// Device names are drawn from this zoom on (9 px text shown at 8 px or more). Below it no label is set at all, so a
// large region zoomed out to fit does not measure hundreds of labels nobody could read.
const FontSize = 9, MinFontSize = 8, LabelZoom = MinFontSize / FontSize;

/** Starts reading a region (its newest sequence, topology and hot interfaces); `showRegion` takes the promise. */
export function readRegion(regionKey) {
  return measured("map-read", () => gql(RegionQuery, { r: regionKey }));
}

/** Times a step as a performance measure named `pdsno:<name>`, visible in the browser's performance tools. */
export async function measured(name, step) {
  const start = performance.now();
  try {
    return await step();
  } finally {
    performance.measure(`pdsno:${name}`, { start, end: performance.now() });
  }
}

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
      "background-color": p.up, shape: "round-rectangle", width: 16, height: 16,
      "font-size": FontSize, color: p.text, "min-zoomed-font-size": MinFontSize,
      "text-valign": "bottom", "text-margin-y": 2, "border-width": 0 } },
    { selector: "node.named, node.region", style: { label: "data(label)" } },
    ...Object.entries(roles).map(([role, [shape, size]]) => ({ selector: `node[role = '${role}']`, style: { shape, width: size, height: size } })),
    { selector: "node[status = 'UNREACHABLE']", style: { "background-color": p.warn, "border-width": 3, "border-color": p.down } },
    { selector: "node[status = 'INACTIVE']", style: { "background-color": p.inactive } },
    { selector: "node[?external]", style: { "background-color": p.bg, "border-width": 1, "border-color": p.muted, "border-style": "dashed" } },
    { selector: "node.region", style: { shape: "round-rectangle", "background-color": p.highlight, width: "data(size)", height: "data(size)", "font-size": 14 } },
    { selector: "edge", style: { width: 1.5, "line-color": p.muted, "curve-style": "haystack" } },
    { selector: "edge[util = 'high']", style: { "line-color": p.high, width: 4 } },
    { selector: "edge[status = 'DOWN']", style: { "line-color": p.down, "line-style": "dashed", width: 2 } },
    // A path's steps between regions, on the map of all regions: the primary and backup between the same two stand apart.
    { selector: "edge.hop", style: { "curve-style": "bezier", "control-point-step-size": 24 } },
    { selector: "node.backup", style: { "border-width": 4, "border-color": p.warn, "z-index": 9 } },
    { selector: "edge.backup", style: { "line-color": p.warn, "line-style": "dashed", width: 4, "z-index": 9 } },
    // Apart for nodes and edges: an edge's width is its line's, a node's is its size.
    { selector: "node.impact", style: { "border-width": 4, "border-color": p.highlight, "z-index": 10 } },
    { selector: "edge.impact", style: { "line-color": p.highlight, width: 5, "z-index": 10 } },
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

// Devices without coordinates stand beside a placed neighbour, a hop further each pass.
function besideNeighbours(nodes, edges, positions) {
  const known = { ...positions }, neighbours = new Map();
  for (const e of edges) {
    neighbours.set(e.source, [...neighbours.get(e.source) ?? [], e.target]);
    neighbours.set(e.target, [...neighbours.get(e.target) ?? [], e.source]);
  }
  for (let pass = 0, placedAny = true; pass < 8 && placedAny; pass++) {
    placedAny = false;
    nodes.filter(n => !known[n.key]).forEach((n, i) => {
      const placed = (neighbours.get(n.key) ?? []).map(k => known[k]).find(p => p);
      if (placed) {
        known[n.key] = { x: placed.x + 20 * Math.cos(i * 2.4 + 0.8), y: placed.y + 20 * Math.sin(i * 2.4 + 0.8) };
        placedAny = true;
      }
    });
  }
  const spread = Math.sqrt(nodes.length) * 60;
  for (const n of nodes) {
    known[n.key] ??= seeded(n.key, spread);
  }
  return known;
}

export class NetworkMap {
  constructor(container, onSelect) {
    this.cy = cytoscape({ container, style: style(), minZoom: 0.02, maxZoom: 5, textureOnViewport: true, hideEdgesOnViewport: true, boxSelectionEnabled: false });
    this.cy.on("tap", "node", e => onSelect(e.target.data()));
    this.cy.on("zoom", () => this.nameNodes());
    // cytoscape follows the window's size, not its container's: a wider side panel would otherwise stretch the drawing.
    new ResizeObserver(() => this.cy.resize()).observe(container);
    this.region = null;
    this.version = 0;
  }

  /** Sets the labels on when the zoom crosses the threshold up, off when it crosses it down. */
  nameNodes(force = false) {
    const on = this.cy.zoom() >= LabelZoom;
    if (on !== this.named || force) {
      this.named = on;
      this.cy.batch(() => this.cy.nodes().toggleClass("named", on));
    }
  }

  restyle() {
    this.cy.style(style());
  }

  /** Draws every region as one node (the map of all regions); a region is opened by selecting it. */
  showRegions(regions) {
    this.region = null;
    this.cy.resize();
    this.cy.elements().remove();
    this.cy.add(regions.map((r, i) => ({
      group: "nodes", classes: "region",
      data: { id: `region:${r.key}`, region: r.key, label: `${r.name} (${r.deviceCount})`, size: 30 + Math.sqrt(r.deviceCount) * 6 },
      position: { x: (i % 4) * 260, y: Math.floor(i / 4) * 260 },
    })));
    this.fitNodes(40);
    this.mark();
  }

  /** Zooms and pans so every node shows, from the node positions alone (cytoscape's fit measures every label as well). */
  fitNodes(padding = 30) {
    this.viewportFor(this.cy.nodes().map(n => n.position()), padding);
  }

  /** Draws a region; resolves with the log's sequence as of the read once the drawing is laid out, or null when a later call overtook it. */
  async showRegion(regionKey, read = readRegion(regionKey)) {
    const version = ++this.version;
    const { newest, topology, utilization } = await read;
    if (version !== this.version) {
      return null;
    }
    this.region = topology.region.key;
    const hot = new Set();
    for (const { node } of utilization.edges) {
      const end = `${node.device}:${node.interface}`;
      node.type === "INTERFACE_UTILIZATION_HIGH" ? hot.add(end) : hot.delete(end);
    }
    performance.mark("pdsno:draw-start");
    // The map may have been made while hidden, before sign-in: its size is read now, before the viewport is set from it.
    this.cy.resize();
    const adding = performance.now();
    const keys = new Set(topology.nodes.map(n => n.key));
    const edges = topology.edges.filter(e => keys.has(e.source) && keys.has(e.target));
    // Where every device stands, when the coordinates or an earlier visit say so, is known before anything is added:
    // the elements go in once, at their place and with their labels on or off, so cytoscape styles and bounds them once.
    const placing = performance.now();
    const positions = this.placement(topology.nodes, edges);
    performance.measure("pdsno:layout", { start: placing, end: performance.now() });
    const named = positions ? this.viewportFor(Object.values(positions)) >= LabelZoom : false;
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add([...topology.nodes.map(n => ({
        group: "nodes", classes: named ? "named" : "", position: positions?.[n.key],
        data: { id: n.key, label: n.label ?? n.key, status: n.status, role: n.role, external: n.external, region: n.regionKey, address: n.device?.managementAddress ?? "" },
      })), ...edges.map(e => ({
        group: "edges",
        data: { id: e.key, source: e.source, target: e.target, a: e.sourceInterface, b: e.targetInterface, status: e.status, speed: e.speedBps,
          util: hot.has(`${e.source}:${e.sourceInterface}`) || hot.has(`${e.target}:${e.targetInterface}`) ? "high" : "normal" },
      }))]);
    });
    this.named = named;
    performance.measure("pdsno:add", { start: adding, end: performance.now() });
    if (!positions) {
      await measured("force-layout", () => this.forceLayout(topology.nodes));
      this.nameNodes(true);
    }
    this.marks && this.mark();
    performance.mark("pdsno:paint-start");
    this.cy.one("render", () => performance.measure("pdsno:render", "pdsno:paint-start"));
    return newest.edges[0]?.node.sequence ?? 0;
  }

  /** Every device's position from its coordinates (those without stand beside a neighbour) or from the last visit; null when neither places them all. */
  placement(nodes, edges) {
    const geo = geographic(nodes);
    if (geo) {
      return besideNeighbours(nodes, edges, geo);
    }
    const saved = JSON.parse(localStorage.getItem(`pdsno.layout.${this.region}`) ?? "{}");
    return nodes.every(n => saved[n.key]) ? saved : null;
  }

  /** Zooms and pans so every position shows; answers the zoom. */
  viewportFor(positions, padding = 30) {
    const cy = this.cy;
    let x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    for (const { x, y } of positions) {
      x1 = Math.min(x1, x); y1 = Math.min(y1, y); x2 = Math.max(x2, x); y2 = Math.max(y2, y);
    }
    if (x1 === Infinity) {
      return cy.zoom();
    }
    // The largest node is 30 wide: half of it beyond the outermost centres keeps every node whole.
    const [w, h] = [x2 - x1 + 30, y2 - y1 + 30];
    const zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), 1, (cy.width() - 2 * padding) / w, (cy.height() - 2 * padding) / h));
    cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * (x1 + x2) / 2, y: cy.height() / 2 - zoom * (y1 + y2) / 2 } });
    return zoom;
  }

  /** A force layout from fixed starting points, saved so the next visit draws the same at once. */
  async forceLayout(nodes) {
    const spread = Math.sqrt(nodes.length) * 60;
    this.cy.nodes().forEach(n => n.position(seeded(n.id(), spread)));
    // cose costs the square of the devices per iteration: fewer iterations for a large region keep it to a second or two.
    const run = this.cy.layout({ name: "cose", randomize: false, animate: false, fit: false, numIter: nodes.length > 300 ? 120 : 600, nodeRepulsion: () => 8000 });
    const done = run.promiseOn("layoutstop");
    run.run();
    await done;
    this.fitNodes();
    const positions = {};
    this.cy.nodes().forEach(n => { positions[n.id()] = n.position(); });
    localStorage.setItem(`pdsno.layout.${this.region}`, JSON.stringify(positions));
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

  /**
   * Marks the devices and links a change or path concerns, and those of a backup path apart, fading the rest; empty
   * lists clear it. The marks stay as other regions are drawn: a path through several regions is marked on each of
   * their maps, and on the map of all regions as the regions it crosses (in `regions` and `backup.regions`, in order).
   */
  highlight(deviceKeys, linkKeys, backup = { devices: [], links: [], regions: [] }, regions = []) {
    this.marks = { primary: [...deviceKeys, ...linkKeys], backup: [...backup.devices, ...backup.links], regions, backupRegions: backup.regions ?? [] };
    this.mark();
  }

  mark() {
    const cy = this.cy, marks = this.marks ?? { primary: [], backup: [], regions: [], backupRegions: [] };
    cy.batch(() => {
      cy.remove(".hop");
      cy.elements().removeClass("impact backup faded");
      const of = keys => cy.collection(keys.map(k => cy.getElementById(k))).filter(e => e.nonempty());
      const [marked, spare] = this.region === null
        ? [this.crossing(marks.regions, "impact"), this.crossing(marks.backupRegions, "backup")]
        : [of(marks.primary), of(marks.backup)];
      if (marked.nonempty() || spare.nonempty()) {
        cy.elements().not(marked).not(spare).addClass("faded");
        spare.addClass("backup");
        marked.addClass("impact");
      }
    });
  }

  /** On the map of all regions: the regions a path crosses, joined in the order it crosses them. */
  crossing(regionKeys, kind) {
    const cy = this.cy;
    const nodes = cy.collection(regionKeys.map(r => cy.getElementById(`region:${r}`))).filter(n => n.nonempty());
    const hops = [];
    regionKeys.forEach((to, i) => {
      const from = regionKeys[i - 1];
      if (from && from !== to && cy.getElementById(`region:${from}`).nonempty() && cy.getElementById(`region:${to}`).nonempty()) {
        hops.push({ group: "edges", classes: "hop", data: { id: `hop:${kind}:${i}:${from}:${to}`, source: `region:${from}`, target: `region:${to}` } });
      }
    });
    return nodes.union(cy.add(hops));
  }
}
