// The query page: YASGUI (served from this app, no CDN) on top of the plain form, which stays
// the fallback when the npm assets are missing. Completion comes from this graph's own
// vocabulary (/ui/vocab.json); the prefix.cc and LOV services are never asked.
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("kg-config").textContent);
  if (typeof window.Yasgui !== "function") return; // plain form stays

  const $ = (id) => document.getElementById(id);
  const endpoint = location.origin + cfg.endpoint;

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  // Data IRIs minted under the store's base open on this server, whatever host it runs on.
  function localHref(iri) {
    return cfg.base && iri.indexOf(cfg.base) === 0 ? "/" + iri.slice(cfg.base.length) : iri;
  }

  function patchTable(Yasr, known) {
    const Table = Yasr.plugins.table;
    Table.defaults.openIriInNewWindow = false;
    Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
      const all = Object.assign({}, known, prefixes || {});
      let shown = binding.value, prefixed = false;
      for (const p in all) {
        if (p && shown.indexOf(all[p]) === 0 && shown.length > all[p].length) {
          shown = p + ":" + shown.slice(all[p].length); prefixed = true; break;
        }
      }
      const href = localHref(binding.value);
      const local = href !== binding.value;
      if (local && !prefixed) shown = binding.value.slice(cfg.base.length); // <actor/x>: relative to the base
      const text = prefixed || this.persistentConfig.compact ? escapeHtml(shown) : "&lt;" + escapeHtml(shown) + "&gt;";
      return "<a class='iri' href='" + escapeHtml(href) + "'" + (local ? "" : " target='_blank' rel='noopener noreferrer'") +
        " title='" + escapeHtml(binding.value) + "'>" + text + "</a>";
    };
  }

  // Numbers and plain strings read as written (3, not "3"^^xsd:integer); other datatypes keep a note.
  function plainLiterals(Yasr) {
    const Table = Yasr.plugins.table;
    const original = Table.prototype.formatLiteral;
    const plain = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger|string)$/;
    Table.prototype.formatLiteral = function (binding, prefixes) {
      if (!binding["xml:lang"] && (!binding.datatype || plain.test(binding.datatype))) return escapeHtml(binding.value);
      return original.call(this, binding, prefixes);
    };
  }

  function useOwnVocabulary(Yasqe, vocab) {
    const A = Yasqe.Autocompleters;
    A.prefixes.get = Object.keys(vocab.prefixes).sort().map((p) => p + ": <" + vocab.prefixes[p] + ">");
    A.prefixes.persistenceId = null;
    A.property.bulk = true; A.property.get = vocab.properties; A.property.persistenceId = null;
    A.class.bulk = true; A.class.get = vocab.classes; A.class.persistenceId = null;
  }

  // Give every YASGUI control a name a screen reader can say (some are icon-only).
  const NAMES = [
    [".yasqe_queryButton", "Run query"], [".yasqe_share", "Share query"], [".yasqe_fullscreenButton", "Full screen editor"],
    [".yasr_downloadIcon", "Download results"], [".yasr_fullscreenButton", "Full screen results"],
    [".tableFilter", "Filter query results"], [".tableSizer", "Rows per page"], [".addTab", "New query tab"],
    [".closeTab", "Close query tab"], [".endpointText input, input.autocomplete", "SPARQL endpoint"],
    [".yasr_external_ref_btn", "Help on this result view"], [".yasqe_collapsePrefixes", "Collapse prefixes"],
    [".clearEndpointBtn", "Clear endpoint"],
  ];
  function hasName(el) {
    if (el.getAttribute("aria-label") || el.getAttribute("aria-labelledby")) return true;
    if (el.labels && Array.from(el.labels).some((l) => l.textContent.trim())) return true;
    return !/^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && el.textContent.trim() !== "";
  }
  function selectName(el) {
    const opts = Array.from(el.options || []).map((o) => o.textContent);
    if (opts.includes("Turtle")) return "Accept header for CONSTRUCT and DESCRIBE results";
    if (opts.includes("JSON")) return "Accept header for SELECT and ASK results";
    return "";
  }
  function pressable(el, name) {
    // a clickable div YASGUI draws: make it a button for the keyboard too
    if (el.dataset.kgPressable) return;
    el.dataset.kgPressable = "1";
    el.setAttribute("role", "button");
    el.setAttribute("tabindex", "0");
    if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", name);
    el.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); el.click(); }
    });
  }
  function labelControls(root) {
    for (const [sel, name] of NAMES) {
      root.querySelectorAll(sel).forEach((el) => { if (!el.getAttribute("aria-label")) el.setAttribute("aria-label", name); });
    }
    root.querySelectorAll(".closeTab").forEach((el) => pressable(el, "Close query tab"));
    root.querySelectorAll("button, a[href], input, select, textarea, [role=button], [tabindex]").forEach((el) => {
      if (hasName(el)) return;
      const name = el.getAttribute("title") || el.getAttribute("placeholder") || selectName(el);
      if (name) el.setAttribute("aria-label", name);
    });
    root.querySelectorAll(".CodeMirror textarea").forEach((t) => t.setAttribute("aria-label", "SPARQL query editor"));
  }

  function downloadsFor(query, type) {
    const fmts = type === "CONSTRUCT" || type === "DESCRIBE"
      ? [["Turtle", "turtle", "ttl"], ["JSON-LD", "jsonld", "jsonld"], ["N-Triples", "nt", "nt"]]
      : [["CSV", "csv", "csv"], ["JSON", "json", "json"]];
    const box = $("downloads");
    box.textContent = "Download: ";
    fmts.forEach(([name, fmt, ext]) => {
      const a = document.createElement("a");
      a.href = cfg.endpoint + "?" + new URLSearchParams({ query: query, format: fmt });  // prefixes predeclared
      a.textContent = name;
      a.setAttribute("download", "query-results." + ext);
      a.className = "download-" + fmt;
      box.appendChild(a);
    });
  }

  function shareLink(query) {
    return location.origin + location.pathname + "?" + new URLSearchParams({ query: query });
  }

  // Tab leaves the editor (no keyboard trap); Ctrl-] / Ctrl-[ indent, Esc also leaves.
  function keyboardFriendly(yasqe) {
    if (yasqe.kgKeys) return;
    yasqe.kgKeys = true;
    yasqe.addKeyMap({ Tab: false, "Shift-Tab": false });
  }

  function wire(yasgui) {
    const update = () => {
      const yasqe = yasgui.getTab().getYasqe();
      const query = yasqe.getValue();
      $("share-link").value = shareLink(query);
      downloadsFor(query, yasqe.getQueryType ? yasqe.getQueryType() : "SELECT");
    };
    yasgui.on("query", update);
    yasgui.on("tabChange", () => setTimeout(() => { keyboardFriendly(yasgui.getTab().getYasqe()); update(); }, 0));
    yasgui.getTab().getYasqe().on("change", update);
    yasgui.on("queryResponse", () => setTimeout(() => labelControls($("yasgui")), 0));
    $("share-btn").addEventListener("click", () => {
      update();
      const field = $("share-link");
      field.select();
      if (navigator.clipboard) navigator.clipboard.writeText(field.value).catch(() => {});
      history.replaceState(null, "", field.value);
    });
    update();
  }

  function start(vocab) {
    const { Yasqe, Yasr } = window.Yasgui;
    useOwnVocabulary(Yasqe, vocab);
    patchTable(Yasr, vocab.prefixes);
    plainLiterals(Yasr);
    const el = $("yasgui");
    el.hidden = false;
    $("query-tools").hidden = false;
    $("plain-ui").hidden = true;
    const yasgui = new window.Yasgui(el, {
      requestConfig: { endpoint: endpoint, method: "POST", acceptHeaderGraph: "text/turtle,*/*;q=0.9" },
      endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
      copyEndpointOnNewTab: true,
      populateFromUrl: true,
      autofocus: false,
      yasqe: { value: cfg.query, autocompleters: ["prefixes", "variables", "property", "class"] },
    });
    const tab = yasgui.getTab();
    if (tab.getEndpoint() !== endpoint) tab.setEndpoint(endpoint);
    if (cfg.autorun || new URLSearchParams(location.search).get("query")) tab.getYasqe().setValue(cfg.query);
    keyboardFriendly(tab.getYasqe());
    wire(yasgui);
    labelControls(el);
    new MutationObserver(() => labelControls(el)).observe(el, { childList: true, subtree: true });
    window.kgYasgui = yasgui;
    if (cfg.autorun) tab.getYasqe().query().catch(() => {});
  }

  fetch(cfg.vocab).then((r) => r.json()).catch(() => ({ prefixes: {}, classes: [], properties: [] })).then(start);
})();
