// Mark the span named by the URL fragment (#char=begin,end, RFC 5147) and scroll to it.
// Whole sentences and mentions carry that id already (CSS :target marks them); any other range
// is found by counting characters of the article text, skipping inserted labels (data-skip).
(function () {
  "use strict";
  const box = document.getElementById("article-text");
  if (!box) return;

  function textNodes() {
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT, {
      acceptNode: (n) => (n.parentElement.closest("[data-skip]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    const out = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) out.push(n);
    return out;
  }

  function rangeFor(begin, end) {
    const range = document.createRange();
    let pos = 0, started = false;
    for (const node of textNodes()) {
      const len = node.data.length;
      if (!started && begin <= pos + len) { range.setStart(node, begin - pos); started = true; }
      if (started && end <= pos + len) { range.setEnd(node, end - pos); return range; }
      pos += len;
    }
    return null;
  }

  function clear() {
    box.querySelectorAll(".marked").forEach((el) => el.classList.remove("marked"));
    box.querySelectorAll("mark.kg-mark").forEach((m) => m.replaceWith(...m.childNodes));
  }

  function mark() {
    clear();
    const m = /^#char=(\d+),(\d+)$/.exec(decodeURIComponent(location.hash));
    if (!m) return;
    const el = document.getElementById("char=" + m[1] + "," + m[2]);
    let target = el;
    if (!el) {
      const range = rangeFor(+m[1], +m[2]);
      if (!range) return;
      target = document.createElement("mark");
      target.className = "kg-mark";
      try { range.surroundContents(target); } catch (e) { target = range.startContainer.parentElement; }
    }
    target.classList.add("marked");
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "center" });
    target.focus({ preventScroll: true });
  }

  // Line each sentence's claims up beside the sentence (wide screens; stacked otherwise).
  function align() {
    const sections = document.querySelectorAll(".sentence-claims");
    let bottom = -Infinity;
    sections.forEach((sec) => {
      sec.style.marginTop = "";
      const m = /^claims-(\d+)-(\d+)$/.exec(sec.id);
      const sent = m && document.getElementById("char=" + m[1] + "," + m[2]);
      if (!sent || getComputedStyle(box.parentElement).gridTemplateColumns.split(" ").length < 2) return;
      const want = sent.getBoundingClientRect().top + window.scrollY;
      const top = sec.getBoundingClientRect().top + window.scrollY;
      const gap = Math.max(0, want - Math.max(top, bottom));
      if (gap) sec.style.marginTop = gap + "px";
      bottom = sec.getBoundingClientRect().bottom + window.scrollY + 8;
    });
  }

  window.addEventListener("hashchange", mark);
  window.addEventListener("resize", align);
  align();
  mark();
})();
