// The timeline: dated events on a zoomable axis (vis-timeline from node_modules), one lane per
// type; labels on the marks; a click opens the event. Undated events are in their own lane in
// the page, outside the axis.
(function () {
  "use strict";
  const box = document.getElementById("timeline");
  const data = JSON.parse(document.getElementById("timeline-data").textContent);
  if (!box || typeof window.vis === "undefined") return;
  const types = ["Meeting", "Demand", "Agreement"];
  const groups = new vis.DataSet(types.map((t) => ({ id: t, content: t, className: "lane-" + t })));
  const label = (e) => { const s = document.createElement("span"); s.textContent = e.label; return s; };
  const items = new vis.DataSet(data.dated.map((e, i) => ({
    id: i, group: types.includes(e.type) ? e.type : "Meeting", start: e.date, content: label(e),
    title: e.label + " (" + e.type + ", " + (e.date_source === "report" ? "reported " : "") + e.date + ", " +
      e.sources + " source" + (e.sources === 1 ? "" : "s") + ")",
    className: "ev ev-" + e.type + (e.date_source === "report" ? " reported" : ""), href: e.href || e.iri, iri: e.iri,
  })));
  const day = 24 * 3600 * 1000;
  const times = data.dated.map((e) => Date.parse(e.date)).filter((t) => !isNaN(t));
  const lo = times.length ? Math.min(...times) : Date.now(), hi = times.length ? Math.max(...times) : Date.now();
  const pad = Math.max(3 * day, (hi - lo) * 0.05);
  // the first window is the "Show all" one; vis-timeline keeps its picture hidden until it
  // draws after the first "rangechanged", which it sends 200 ms after applying start/end and
  // without drawing again: redraw then, and call the picture ready once it is shown
  const first = showAllRange();
  const timeline = new vis.Timeline(box, items, groups, {
    stack: true, zoomable: true, moveable: true, selectable: true, showCurrentTime: false,
    min: lo - 20 * pad, max: hi + 40 * pad, zoomMin: day, align: "left", start: first[0], end: first[1],
    orientation: { axis: "top" }, margin: { item: 6 }, tooltip: { followMouse: true },
    xss: { disabled: false }, onInitialDrawComplete: () => { box.dataset.ready = "1"; },
  });
  timeline.once("rangechanged", () => timeline.redraw());
  const out = document.getElementById("tl-window");
  const fmt = (d) => new Date(d).toISOString().slice(0, 10);
  function showWindow() {
    const w = timeline.getWindow();
    out.textContent = fmt(w.start) + " to " + fmt(w.end);
    out.dataset.start = String(+w.start); out.dataset.end = String(+w.end);
  }
  timeline.on("rangechanged", showWindow);
  timeline.on("select", (props) => {
    const item = items.get(props.items[0]);
    if (item && item.href) location.href = item.href;
  });
  document.getElementById("tl-zoom-in").addEventListener("click", () => timeline.zoomIn(0.5, { animation: false }, showWindow));
  document.getElementById("tl-zoom-out").addEventListener("click", () => timeline.zoomOut(0.5, { animation: false }, showWindow));
  // fit the marks, widened to the right so the labels (drawn rightwards) stay in the picture
  function showAllRange() {
    const span = Math.max(30 * day, hi - lo);
    return [lo - span * 0.03, hi + span * 0.45];
  }
  function showAll() {
    const [start, end] = showAllRange();
    timeline.setWindow(start, end, { animation: false });
    showWindow();
  }
  document.getElementById("tl-fit").addEventListener("click", showAll);
  showWindow();
  window.kgTimeline = timeline;
})();
