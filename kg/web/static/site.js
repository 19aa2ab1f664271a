// Every page: the phone menu, and type-ahead over names (the search box in the header and any
// input marked data-complete="actor|place|event|article|any") from /search.json.
(function () {
  "use strict";

  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("main-menu");
  if (toggle && menu) {
    toggle.hidden = false;
    document.documentElement.classList.add("has-menu-toggle");
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("open", open);
    });
  }

  let lists = 0;
  function typeahead(input, kind, pick) {
    let list = input.getAttribute("aria-controls") && document.getElementById(input.getAttribute("aria-controls"));
    if (!list) {
      list = document.createElement("ul");
      list.className = "suggestions";
      list.id = "suggest-" + (++lists);
      list.setAttribute("role", "listbox");
      list.setAttribute("aria-label", "Suggestions");
      list.hidden = true;
      input.insertAdjacentElement("afterend", list);
      input.setAttribute("role", "combobox");
      input.setAttribute("aria-autocomplete", "list");
      input.setAttribute("aria-expanded", "false");
      input.setAttribute("aria-controls", list.id);
      input.parentElement.classList.add("has-suggestions");
    }
    let timer = null, asked = 0, active = -1, items = [];

    function close() {
      list.hidden = true; list.textContent = ""; active = -1; items = [];
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
    function show(results) {
      list.textContent = "";
      items = results;
      results.forEach((r, i) => {
        const li = document.createElement("li");
        li.id = list.id + "-o" + i;
        li.setAttribute("role", "option");
        li.className = "suggestion";
        li.dataset.iri = r.iri;
        const name = document.createElement("span");
        name.textContent = r.label;
        const type = document.createElement("small");
        type.textContent = " " + r.type + (r.matched && r.matched !== r.label ? " · “" + r.matched + "”" : "");
        li.append(name, type);
        li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", String(results.length > 0));
    }
    function mark(i) {
      active = i;
      Array.from(list.children).forEach((li, j) => li.setAttribute("aria-selected", String(j === i)));
      if (i >= 0) input.setAttribute("aria-activedescendant", list.id + "-o" + i);
    }
    function choose(i) {
      const r = items[i];
      close();
      if (r) pick(r, input);
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2 || /^(https?:|\/)/.test(q)) { close(); return; }
      timer = setTimeout(() => {
        const mine = ++asked;
        const params = new URLSearchParams({ q: q, limit: "8" });
        if (kind && kind !== "any") params.set("kind", kind);
        fetch("/search.json?" + params, { headers: { Accept: "application/json" } })
          .then((r) => (r.ok ? r.json() : { results: [] }))
          .then((data) => { if (mine === asked && document.activeElement === input) show(data.results || []); })
          .catch(() => close());
      }, 150);
    });
    input.addEventListener("keydown", (ev) => {
      if (list.hidden) return;
      if (ev.key === "ArrowDown") { ev.preventDefault(); mark(Math.min(items.length - 1, active + 1)); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); mark(Math.max(0, active - 1)); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); choose(active); }
      else if (ev.key === "Escape") { close(); }
    });
    input.addEventListener("blur", () => setTimeout(close, 100));
  }

  const site = document.getElementById("site-search");
  if (site) typeahead(site, "any", (r) => { location.href = r.href || r.iri; });
  document.querySelectorAll("input[data-complete]").forEach((input) => {
    typeahead(input, input.dataset.complete, (r, field) => { field.value = r.href ? location.origin + r.href : r.iri; });
  });
})();
