// Elements from data, never from HTML strings: names and configs come from the network and stay text.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value == null || value === false) {
      continue;
    }
    if (name.startsWith("on")) {
      element.addEventListener(name.slice(2), value);
    } else {
      element.setAttribute(name, value === true ? "" : value);
    }
  }
  element.append(...children.flat().filter(c => c != null && c !== false).map(c => c instanceof Node ? c : String(c)));
  return element;
}

export function table(headings, rows) {
  return h("table", {}, h("thead", {}, h("tr", {}, headings.map(x => h("th", {}, x)))),
    h("tbody", {}, rows.map(cells => h("tr", {}, cells.map(c => h("td", {}, c))))));
}

/** A small line of the values (0..100), drawn as SVG. */
export function sparkline(values) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 100 20");
  svg.setAttribute("class", "spark");
  const line = document.createElementNS(ns, "polyline");
  const step = values.length > 1 ? 100 / (values.length - 1) : 0;
  line.setAttribute("points", values.map((v, i) => `${(i * step).toFixed(1)},${(20 - Math.min(100, v) / 5).toFixed(1)}`).join(" "));
  svg.append(line);
  return svg;
}

export function bps(value) {
  if (!value) {
    return "-";
  }
  const units = ["bps", "kbps", "Mbps", "Gbps", "Tbps"];
  const i = Math.min(units.length - 1, Math.floor(Math.log10(value) / 3));
  return `${+(value / 1000 ** i).toFixed(1)} ${units[i]}`;
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : "-";
}
