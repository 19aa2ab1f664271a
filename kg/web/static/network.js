// The actor network (vis-network from node_modules): zoom, drag, filter by actor type; a click
// on a line lists the events that link the two actors (/network/tie.json).
(function () {
  "use strict";
  const box = document.getElementById("network");
  const data = JSON.parse(document.getElementById("network-data").textContent);
  if (!box || typeof window.vis === "undefined") return;
  const colours = { Person: "#0072B2", Organization: "#D55E00", Group: "#CC79A7", Country: "#009E73", Actor: "#57606a" };
  const nodes = new vis.DataSet(data.nodes.map((n) => ({
    id: n.iri, label: n.label, value: n.events, group: n.type, href: n.href, type: n.type,
    title: n.label + " (" + n.type + "): " + n.events + " shared event(s)",
    color: { background: colours[n.type] || "#57606a", border: "#fff" }, font: { color: "#1b1f24", strokeWidth: 3, strokeColor: "#fff" },
  })));
  const edges = new vis.DataSet(data.edges.map((e, i) => ({
    id: "t" + i, from: e.source, to: e.target, value: e.events, title: e.events + " shared event(s)",
    color: { color: "#8c959f", highlight: "#bf3989" },
  })));
  const shown = new Set(["Person", "Organization", "Group", "Country", "Actor"]);
  const view = new vis.DataView(nodes, { filter: (n) => shown.has(n.type) });
  const network = new vis.Network(box, { nodes: view, edges: edges }, {
    nodes: { shape: "dot", scaling: { min: 6, max: 30, label: { enabled: true, min: 11, max: 18, drawThreshold: 6 } } },
    edges: { scaling: { min: 1, max: 8 }, smooth: false },
    physics: { solver: "forceAtlas2Based", stabilization: { iterations: 250, fit: false } },
    interaction: { hover: true, dragNodes: true, dragView: true, zoomView: true, keyboard: { enabled: true, bindToWindow: false }, tooltipDelay: 150 },
  });
  const frame = box.querySelector(".vis-network");
  if (frame) { frame.setAttribute("aria-label", box.getAttribute("aria-label") + " (arrow keys move, + and - zoom)"); frame.setAttribute("role", "application"); }
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({ physics: false });
    network.fit({ animation: false });
    box.dataset.ready = "1";
  });
  if (!data.nodes.length) box.dataset.ready = "1";

  const panel = document.getElementById("tie-panel");
  const label = (iri) => (nodes.get(iri) || { label: iri }).label;
  function showTie(a, b) {
    const params = new URLSearchParams(Object.assign({}, data.filters, { a: a, b: b }));
    panel.dataset.loading = "1";
    fetch("/network/tie.json?" + params, { headers: { Accept: "application/json" } })
      .then((r) => r.json())
      .then((tie) => {
        panel.textContent = "";
        const h = document.createElement("h2");
        h.textContent = label(a) + " – " + label(b);
        const ul = document.createElement("ul");
        ul.className = "tie-events";
        tie.events.forEach((e) => {
          const li = document.createElement("li");
          const link = document.createElement("a");
          link.href = e.href || e.iri; link.textContent = e.label;
          const meta = document.createElement("small");
          meta.textContent = " " + e.type + " · " + (e.date || "no date") + " · " + e.sources + " source" + (e.sources === 1 ? "" : "s");
          li.append(link, meta); ul.appendChild(li);
        });
        const count = document.createElement("p");
        count.textContent = tie.events.length + " event" + (tie.events.length === 1 ? "" : "s") + " name both.";
        panel.append(h, count, ul);
        panel.dataset.a = a; panel.dataset.b = b;
        delete panel.dataset.loading;
      });
  }
  network.on("click", (p) => {
    if (p.nodes.length) return;
    if (p.edges.length) { const e = edges.get(p.edges[0]); showTie(e.from, e.to); }
  });
  network.on("doubleClick", (p) => {
    const n = p.nodes.length && nodes.get(p.nodes[0]);
    if (n && n.href) location.href = n.href;
  });
  document.querySelectorAll(".tie-button").forEach((btn) => btn.addEventListener("click", () => showTie(btn.dataset.a, btn.dataset.b)));
  document.querySelectorAll("input[name=actor-type]").forEach((box2) => box2.addEventListener("change", () => {
    if (box2.checked) shown.add(box2.value); else shown.delete(box2.value);
    view.refresh();
  }));
  const step = (f) => network.moveTo({ scale: network.getScale() * f, animation: false });
  document.getElementById("nw-zoom-in").addEventListener("click", () => step(1.5));
  document.getElementById("nw-zoom-out").addEventListener("click", () => step(1 / 1.5));
  document.getElementById("nw-fit").addEventListener("click", () => network.fit({ animation: false }));
  window.kgNetwork = network;
})();
