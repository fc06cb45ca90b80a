// Draws window.MSGLINT_GRAPH (msglint graph --format json) with Cytoscape.js.
(function () {
  "use strict";
  var data = window.MSGLINT_GRAPH, options = window.MSGLINT_OPTIONS || {};
  var COLOURS = {broker: "#6a51a3", channel: "#2171b5", producer: "#238b45", consumer: "#d94801",
                 workload: "#737373", code: "#8c6d31", file: "#bdbdbd", other: "#969696"};
  var SHAPES = {broker: "barrel", channel: "round-rectangle", producer: "tag", consumer: "ellipse",
                workload: "hexagon", code: "diamond", file: "rectangle", other: "rectangle"};
  var SEVERITY = {error: "#c00", warning: "#d80", info: "#36c"};
  var nodes = {}, groupOf = {}, members = {};
  data.nodes.forEach(function (n) {
    nodes[n.id] = n; groupOf[n.id] = "group:" + n.group;
    (members["group:" + n.group] = members["group:" + n.group] || []).push(n.id);
  });
  var folded = {};
  if (data.nodes.length > (options.foldAbove || 150)) {
    Object.keys(members).forEach(function (g) { folded[g] = true; });
  }

  function worst(findings) {
    var order = ["error", "warning", "info"];
    for (var i = 0; i < order.length; i++) {
      if (findings.some(function (f) { return f.severity === order[i]; })) { return order[i]; }
    }
    return "";
  }

  function elements() {
    var out = [], seen = {};
    data.groups.forEach(function (g) {
      var id = "group:" + g.id, list = members[id] || [];
      var findings = [];
      list.forEach(function (m) { findings = findings.concat(nodes[m].findings); });
      out.push({group: "nodes", data: {id: id, label: g.label + (folded[id] ? " (" + list.length + ")" : ""),
        isGroup: true, folded: !!folded[id], worst: worst(findings)}, classes: folded[id] ? "group folded" : "group"});
    });
    data.nodes.forEach(function (n) {
      if (folded[groupOf[n.id]]) { return; }
      out.push({group: "nodes", data: {id: n.id, label: n.label, parent: groupOf[n.id], family: n.family,
        worst: worst(n.findings)}, classes: "member " + worst(n.findings)});
    });
    data.edges.forEach(function (e, i) {
      var s = folded[groupOf[e.source]] ? groupOf[e.source] : e.source;
      var t = folded[groupOf[e.target]] ? groupOf[e.target] : e.target;
      if (s === t) { return; }
      var key = s + ">" + t + ">" + e.relation + ">" + (e.code || "");
      if (seen[key]) { return; }
      seen[key] = true;
      out.push({group: "edges", data: {id: "e" + i, source: s, target: t,
        label: e.relation === "finding" ? e.code : e.relation}, classes: e.relation === "finding" ? "finding" : "link"});
    });
    return out;
  }

  var style = [
    {selector: "node.member", style: {"label": "data(label)", "font-size": 10, "text-valign": "bottom",
      "text-wrap": "ellipsis", "text-max-width": 140, "width": 22, "height": 22, "border-width": 1, "border-color": "#333",
      "background-color": function (n) { return COLOURS[n.data("family")] || COLOURS.other; },
      "shape": function (n) { return SHAPES[n.data("family")] || "rectangle"; }}},
    {selector: "node.error", style: {"border-width": 4, "border-color": SEVERITY.error}},
    {selector: "node.warning", style: {"border-width": 3, "border-color": SEVERITY.warning}},
    {selector: "node.info", style: {"border-width": 2, "border-color": SEVERITY.info}},
    {selector: "node.group", style: {"label": "data(label)", "text-valign": "top", "font-size": 11,
      "background-color": "#eef", "background-opacity": 0.35, "border-color": "#99a", "border-width": 1, "shape": "round-rectangle"}},
    {selector: "node.folded", style: {"width": 60, "height": 36, "background-opacity": 0.9, "text-valign": "center",
      "border-width": 2, "border-color": function (n) { return SEVERITY[n.data("worst")] || "#99a"; }}},
    {selector: "edge", style: {"width": 1.2, "curve-style": "bezier", "target-arrow-shape": "triangle",
      "line-color": "#888", "target-arrow-color": "#888", "font-size": 8, "label": "data(label)", "text-rotation": "autorotate", "color": "#555"}},
    {selector: "edge.finding", style: {"line-style": "dashed", "line-color": SEVERITY.error, "target-arrow-color": SEVERITY.error}},
    {selector: ".match", style: {"overlay-color": "#fc0", "overlay-opacity": 0.5}}
  ];

  var cy = cytoscape({container: document.getElementById("graph"), elements: elements(), style: style,
    wheelSensitivity: 0.3, minZoom: 0.05, maxZoom: 4});

  function layout() {
    var count = cy.nodes().length;
    cy.layout(count > 400 ? {name: "grid", avoidOverlap: true, animate: false}
                          : {name: "cose", animate: false, numIter: count > 150 ? 300 : 1000, nodeDimensionsIncludeLabels: true}).run();
    document.getElementById("counts").textContent = data.nodes.length + " nodes, " + data.edges.length + " edges, " +
      data.groups.length + " groups";
  }

  function redraw() { cy.elements().remove(); cy.add(elements()); layout(); }

  function text(tag, content, cls) { var e = document.createElement(tag); e.textContent = content; if (cls) { e.className = cls; } return e; }

  function link(path, line) {
    var a = document.createElement("a");
    a.href = path; a.textContent = path + ":" + line; a.title = "open the file (relative to the page)";
    return a;
  }

  function show(n) {
    var box = document.getElementById("details");
    box.innerHTML = "";
    box.appendChild(text("h2", n.label));
    var where = text("p", n.kind + " in "); where.appendChild(link(n.path, n.line)); box.appendChild(where);
    var keys = Object.keys(n.settings);
    if (keys.length) {
      var table = document.createElement("table");
      keys.forEach(function (k) {
        var row = document.createElement("tr"); row.appendChild(text("td", k)); row.appendChild(text("td", n.settings[k])); table.appendChild(row);
      });
      box.appendChild(text("h2", "Settings")); box.appendChild(table);
    }
    box.appendChild(text("h2", n.findings.length ? "Findings" : "No findings"));
    n.findings.forEach(function (f) {
      var div = text("div", "", "finding " + f.severity);
      div.appendChild(text("strong", f.code + " [" + f.severity + "] "));
      div.appendChild(text("span", f.message + " "));
      div.appendChild(link(f.path, f.line));
      div.appendChild(text("div", "msglint explain " + f.code, "hint"));
      box.appendChild(div);
    });
  }

  function toggle(group) { folded[group] = !folded[group]; redraw(); }

  cy.on("tap", "node", function (evt) {
    var el = evt.target;
    if (el.data("isGroup")) { toggle(el.id()); return; }
    show(nodes[el.id()]);
  });

  var legend = document.getElementById("legend-items");
  Object.keys(COLOURS).forEach(function (family) {
    var li = document.createElement("li"), sw = text("span", "", "swatch");
    sw.style.background = COLOURS[family]; li.appendChild(sw); li.appendChild(text("span", family + " (" + SHAPES[family] + ")"));
    legend.appendChild(li);
  });
  ["error", "warning", "info"].forEach(function (s) {
    var li = document.createElement("li"), sw = text("span", "", "swatch");
    sw.style.background = "#fff"; sw.style.border = "3px solid " + SEVERITY[s]; li.appendChild(sw); li.appendChild(text("span", "worst finding: " + s));
    legend.appendChild(li);
  });
  legend.appendChild(text("li", "solid arrow: a link of the model; dashed red: a cross-file finding"));

  var groupsList = document.getElementById("group-items");
  data.groups.forEach(function (g) {
    var li = text("li", g.label + " (" + (members["group:" + g.id] || []).length + ")");
    li.addEventListener("click", function () { toggle("group:" + g.id); });
    groupsList.appendChild(li);
  });

  document.getElementById("fold-all").addEventListener("click", function () { Object.keys(members).forEach(function (g) { folded[g] = true; }); redraw(); });
  document.getElementById("unfold-all").addEventListener("click", function () { folded = {}; redraw(); });
  document.getElementById("fit").addEventListener("click", function () { cy.fit(); });
  document.getElementById("search").addEventListener("input", function (evt) {
    var q = evt.target.value.toLowerCase();
    cy.nodes().removeClass("match");
    if (q) { cy.nodes().filter(function (n) { return String(n.data("label")).toLowerCase().indexOf(q) >= 0; }).addClass("match"); }
  });

  layout();
  window.MSGLINT_READY = {nodes: data.nodes.length, drawn: cy.nodes().length};
})();
