// The Graph page's zoomable chart: the SVG that Graphviz drew, with svg-pan-zoom.
// data: {svg, label, height}. The SVG was sanitised on the server (catalog.graph.safe_svg);
// it is parsed here as XML (never as HTML) and checked again before it joins the page.
const FORBIDDEN = new Set(["script", "foreignobject", "style", "iframe", "object", "embed",
  "image", "use", "animate", "set", "handler", "listener"]);

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
  if (box.dataset.source === data.svg) return; // unchanged: keep the user's zoom
  box.dataset.source = data.svg;
  if (box._panZoom) { box._panZoom.destroy(); box._panZoom = null; }
  box.replaceChildren();
  box.style.height = `${data.height}px`;
  box.setAttribute("role", "img");
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
  box._panZoom = window.svgPanZoom(svg, {
    zoomEnabled: true,
    controlIconsEnabled: true,
    fit: true,
    center: true,
    minZoom: 0.25,
    maxZoom: 12,
    zoomScaleSensitivity: 0.25,
    dblClickZoomEnabled: true,
  });
}
