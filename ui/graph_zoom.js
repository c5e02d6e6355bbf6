// The Graph page's zoomable chart: the SVG that Graphviz drew, with svg-pan-zoom.
// data: {svg, label, height}. The HTML holds the zoom buttons and the chart's box. The SVG was sanitised on the server (catalog.graph.safe_svg);
// it is parsed here as XML (never as HTML) and checked again before it joins the page.
const FORBIDDEN = new Set(["script", "foreignobject", "style", "iframe", "object", "embed",
  "image", "use", "animate", "set", "handler", "listener"]);

const MAX_FIT = 1.2 * (4 / 3);

function clean(node) {
  for (const child of Array.from(node.children)) {
    if (FORBIDDEN.has(child.localName.toLowerCase())) { child.remove(); continue; }
    for (const attr of Array.from(child.attributes)) {
      const name = attr.name.toLowerCase();
      if (name.startsWith("on") || name === "href" || name.endsWith(":href") || name === "style") {
        child.removeAttribute(attr.name);
      }
    }
    clean(child);
  }
}

function parse(text) {
  const doc = new DOMParser().parseFromString(text, "image/svg+xml");
  const svg = doc.documentElement;
  if (!svg || svg.localName !== "svg" || doc.getElementsByTagName("parsererror").length) {
    return null;
  }
  for (const attr of Array.from(svg.attributes)) {
    if (attr.name.toLowerCase().startsWith("on")) svg.removeAttribute(attr.name);
  }
  clean(svg);
  return svg;
}

export default function (component) {
  const { parentElement, data, setTriggerValue } = component;
  const box = parentElement.querySelector(".graph-zoom");
  if (box._source === data.svg) return; // unchanged: keep the user's zoom
  box._source = data.svg;
  if (box._panZoom) { box._panZoom.destroy(); box._panZoom = null; }
  box.replaceChildren();
  box.style.height = `${data.height}px`;
  // A group, not an image: the folded groups inside are buttons.
  box.setAttribute("role", "group");
  box.setAttribute("aria-roledescription", "zoomable graph");
  box.setAttribute("aria-label", data.label);
  const parsed = parse(data.svg);
  if (parsed === null) {
    box.textContent = "The picture could not be shown.";
    return;
  }
  const svg = document.importNode(parsed, true);
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  svg.setAttribute("width", "100%");
  svg.setAttribute("height", "100%");
  box.appendChild(svg);
  for (const node of svg.querySelectorAll("g.node")) {
    const title = node.querySelector(":scope > title");
    const id = title ? title.textContent : "";
    if (id.startsWith("fold:group/")) {
      node.classList.add("fold");
      node.setAttribute("tabindex", "0");
      node.setAttribute("role", "button");
      const open = () => setTriggerValue("expand", id);
      node.addEventListener("click", open);
      node.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); open(); }
      });
    }
  }
  const panZoom = window.svgPanZoom(svg, {
    zoomEnabled: true,
    controlIconsEnabled: false,
    mouseWheelZoomEnabled: false, // the page scrolls; see the wheel handler below
    fit: true,
    center: true,
    minZoom: 0.25,
    maxZoom: 12,
    zoomScaleSensitivity: 0.25,
    dblClickZoomEnabled: true,
  });
  box._panZoom = panZoom;
  // Fit, but never blow a small graph up beyond a little larger than life
  // (1 pt of the SVG is 4/3 CSS px at life size).
  const fit = () => {
    panZoom.resize(); panZoom.fit(); panZoom.center();
    const real = panZoom.getSizes().realZoom;
    if (real > MAX_FIT) { panZoom.zoom(panZoom.getZoom() * MAX_FIT / real); panZoom.center(); }
  };
  fit();
  const actions = { in: () => panZoom.zoomIn(), out: () => panZoom.zoomOut(), fit };
  for (const button of parentElement.querySelectorAll(".graph-tools button")) {
    button.onclick = () => actions[button.dataset.zoom]();
  }
  // Scrolling zooms with Ctrl (or Cmd) held, or once the chart was clicked: otherwise the
  // page scrolls past the chart as usual.
  let engaged = false;
  box.onpointerdown = () => { engaged = true; };
  box.onpointerleave = () => { engaged = false; };
  box.onwheel = (event) => {
    if (!(engaged || event.ctrlKey || event.metaKey)) return;
    event.preventDefault();
    const rect = svg.getBoundingClientRect();
    const point = { x: event.clientX - rect.left, y: event.clientY - rect.top };
    panZoom.zoomAtPointBy(event.deltaY < 0 ? 1.2 : 1 / 1.2, point);
  };
  box.onkeydown = (event) => {
    const step = 60;
    const keys = {
      "+": actions.in, "=": actions.in, "-": actions.out, "0": fit,
      ArrowLeft: () => panZoom.panBy({ x: step, y: 0 }),
      ArrowRight: () => panZoom.panBy({ x: -step, y: 0 }),
      ArrowUp: () => panZoom.panBy({ x: 0, y: step }),
      ArrowDown: () => panZoom.panBy({ x: 0, y: -step }),
    };
    if (event.target === box && keys[event.key]) { event.preventDefault(); keys[event.key](); }
  };
}
