// Tables marked .sortable: a button in each heading sorts the rows by that column (numbers as
// numbers), pressing again reverses; aria-sort says which way.
(function () {
  "use strict";
  document.querySelectorAll("table.sortable").forEach((table) => {
    const heads = Array.from(table.tHead ? table.tHead.rows[0].cells : []);
    heads.forEach((th, col) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button link-like";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", () => {
        const up = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach((h) => h.removeAttribute("aria-sort"));
        th.setAttribute("aria-sort", up ? "ascending" : "descending");
        const body = table.tBodies[0];
        const rows = Array.from(body.rows);
        const key = (r) => (r.cells[col] ? r.cells[col].textContent.trim() : "");
        const numeric = rows.every((r) => key(r) === "" || key(r) === "–" || !isNaN(Number(key(r))));
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          const c = numeric ? (Number(x) || 0) - (Number(y) || 0) : x.localeCompare(y);
          return up ? c : -c;
        });
        rows.forEach((r) => body.appendChild(r));
      });
    });
  });
})();
