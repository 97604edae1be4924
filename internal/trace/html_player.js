// msgplay's HTML player: reads the JSON Lines of each run embedded in the
// page and draws a topology (messages moving as dots, queues filling) and
// a sequence view, both driven by one clock per section. Hand-written, no
// library, nothing fetched.
(function () {
"use strict";
var K = JSON.parse(document.getElementById("kinds").textContent);
var NS = "http://www.w3.org/2000/svg";
var BASE_SPEEDS = [0.1, 0.25, 0.5, 1, 2, 4, 10];
var MARKED = { crash: 1, fault: 1, drop: 1, "dead-letter": 1, compensate: 1 };

function h(tag, attrs, parent, text) {
  var e = document.createElement(tag);
  for (var k in attrs) e.setAttribute(k, attrs[k]);
  if (text != null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}
function s(tag, attrs, parent, text) {
  var e = document.createElementNS(NS, tag);
  for (var k in attrs) e.setAttribute(k, attrs[k]);
  if (text != null) e.textContent = text;
  if (parent) parent.appendChild(e);
  return e;
}
// fmt writes microseconds as msgplay does: 450µs, 12.3ms, 1.234s.
function fmt(us) {
  if (us < 1000) return Math.round(us) + "µs";
  if (us < 1e6) return +(us / 1000).toFixed(us < 1e4 ? 2 : 1) + "ms";
  if (us < 6e7) return +(us / 1e6).toFixed(3) + "s";
  var m = Math.floor(us / 6e7);
  return m + "m" + +((us - m * 6e7) / 1e6).toFixed(1) + "s";
}
function lowerBound(a, v) { // first index with a[i] >= v
  var lo = 0, hi = a.length;
  while (lo < hi) { var m = (lo + hi) >> 1; if (a[m] < v) lo = m + 1; else hi = m; }
  return lo;
}
function upperBound(a, v) { // first index with a[i] > v
  var lo = 0, hi = a.length;
  while (lo < hi) { var m = (lo + hi) >> 1; if (a[m] <= v) lo = m + 1; else hi = m; }
  return lo;
}

// ---- one run: its events, topology and sequence view ----

function Run(script, box, index) {
  this.box = box; this.index = index;
  var lines = script.textContent.split("\n"), ev = [];
  for (var i = 0; i < lines.length; i++) {
    if (!lines[i]) continue;
    var e = JSON.parse(lines[i]);
    if (e.kind === "run") this.run = e;
    else if (e.kind === "summary") this.summary = e.summary;
    else ev.push(e);
  }
  ev.forEach(function (e, i) {
    var k = K.kinds[e.kind] || { symbol: "?", html: "other", moves: false };
    e.i = i; e.sym = k.symbol;
    e.arrow = !!(e.to && e.to !== e.actor && e.msg && k.moves);
    e.carries = k.carries;
    e.cls = k.html || K.classes[(e.msg && e.msg.class) || ""] || "msg";
  });
  this.events = ev;
  this.byMsg = {};
  for (i = 0; i < ev.length; i++) if (ev[i].msg) (this.byMsg[ev[i].msg.id] = this.byMsg[ev[i].msg.id] || []).push(i);
  this.layoutNodes();
}

// layoutNodes gives every actor a role and a column: producers left, then
// topics, queues, the consumers, and the services they call; a queue sits
// just left of the actor it delivers to, a dead-letter queue under the
// queue it comes from.
Run.prototype.layoutNodes = function () {
  var nodes = {}, order = [], ev = this.events;
  function node(n) {
    if (!nodes[n]) { nodes[n] = { name: n, role: "actor", inn: [], out: [], consumers: [], writers: [] }; order.push(n); }
    return nodes[n];
  }
  (this.run && this.run.actors || []).forEach(node);
  ev.forEach(function (e) {
    if (e.arrow) { node(e.actor); node(e.to); }
    else if (e.kind !== "note" || e.actor !== "msgplay") { if (nodes[e.actor] || e.kind === "crash" || e.kind === "fault") node(e.actor); }
  });
  var flow = { send: 1, publish: 1, deliver: 1, call: 1, replicate: 1 }, tx = { begin: 1, commit: 1, rollback: 1 };
  ev.forEach(function (e) { // the databases actors commit to, drawn beside them (no lane)
    if (tx[e.kind] && e.to && !nodes[e.to]) { node(e.to).role = "store"; }
    if (tx[e.kind] && e.to && nodes[e.to].role === "store") { e.store = true; if (nodes[e.to].writers.indexOf(e.actor) < 0) nodes[e.to].writers.push(e.actor); }
  });
  ev.forEach(function (e) {
    if (e.kind === "deliver") { node(e.actor).role = "queue"; if (e.to) node(e.actor).consumers.push(e.to); }
    if (e.kind === "publish" && e.to) node(e.to).role = "topic";
    if (e.kind === "dead-letter" && e.to) { node(e.to).role = "queue"; node(e.to).dlqOf = e.actor; }
    if (e.arrow && flow[e.kind]) { node(e.actor).out.push(e.to); node(e.to).inn.push(e.actor); }
  });
  // rank: breadth first from the actors nothing flows into
  var rank = {}, queue = [];
  function spread() {
    while (queue.length) {
      var n = queue.shift();
      nodes[n].out.forEach(function (m) { if (rank[m] === undefined) { rank[m] = rank[n] + 1; queue.push(m); } });
    }
  }
  order.forEach(function (n) { if (!nodes[n].inn.length && nodes[n].role !== "store") { rank[n] = 0; queue.push(n); } });
  spread();
  // a cycle with no way in (request and reply): start from who sends first
  ev.forEach(function (e) {
    if (e.arrow && flow[e.kind] && rank[e.actor] === undefined) { rank[e.actor] = 0; queue.push(e.actor); spread(); }
  });
  order.forEach(function (n) { if (rank[n] === undefined && nodes[n].role !== "store") rank[n] = 1; });
  order.forEach(function (n) { // a store sits right of its first writer
    if (nodes[n].role === "store") rank[n] = (rank[nodes[n].writers[0]] || 0) + 1;
  });
  order.forEach(function (n) { // a queue feeds the actor right of it
    var q = nodes[n];
    if (q.role !== "queue" || !q.consumers.length) return;
    var lo = Infinity;
    q.consumers.forEach(function (c) { lo = Math.min(lo, rank[c]); });
    if (lo <= rank[n]) rank[n] = lo - 1;
  });
  order.forEach(function (n) { // a dead-letter queue no message reached yet, known by its name
    var m = /^(.+)[.\-_](dlq|dead-?letters?)$/i.exec(n);
    if (m && !nodes[n].dlqOf && nodes[m[1]] && nodes[m[1]].role === "queue") { nodes[n].role = "queue"; nodes[n].dlqOf = m[1]; }
  });
  order.forEach(function (n) { if (nodes[n].dlqOf && nodes[nodes[n].dlqOf]) rank[n] = rank[nodes[n].dlqOf]; });
  var ranks = Object.keys(rank).map(function (k) { return rank[k]; }).filter(function (v, i, a) { return a.indexOf(v) === i; }).sort(function (a, b) { return a - b; });
  var cols = ranks.map(function () { return []; });
  order.forEach(function (n) { nodes[n].col = ranks.indexOf(rank[n]); });
  order.forEach(function (n) { if (!nodes[n].dlqOf) cols[nodes[n].col].push(n); });
  order.forEach(function (n) { if (nodes[n].dlqOf) cols[nodes[n].col].push(n); });
  this.nodes = nodes; this.cols = cols;
  this.lanes = [].concat.apply([], cols).filter(function (n) { return nodes[n].role !== "store"; });
  this.nodeNames = [].concat.apply([], cols);
};

// build draws the topology and the sequence view into the run's box.
Run.prototype.build = function (ctl) {
  var self = this;
  this.ctl = ctl;
  this.topo = s("svg", { class: "topo", role: "img", "aria-label": "topology" }, h("div", { class: "topobox" }, this.box));
  this.seqBox = h("div", { class: "seq" }, this.box);
  this.names = h("div", { class: "names" }, this.seqBox);
  this.scroll = h("div", { class: "scroll" }, this.seqBox);
  this.seq = s("svg", { class: "seqsvg" }, this.scroll);
  this.scroll.addEventListener("scroll", function () {
    self.names.style.transform = "translateX(" + -self.scroll.scrollLeft + "px)";
    self.drawRows();
  });
  this.box.addEventListener("click", function (ev) {
    var g = ev.target.closest("[data-seq]");
    if (g && self.box.contains(g)) ctl.select(self, +g.getAttribute("data-i"));
  });
  this.layout();
};

Run.prototype.layout = function () {
  var self = this, nodes = this.nodes, cols = this.cols;
  var W = Math.max(this.box.clientWidth, 320);
  this.W = W;
  // ---- topology ----
  var topo = this.topo;
  while (topo.firstChild) topo.removeChild(topo.firstChild);
  var defs = s("defs", {}, topo);
  ["cmd", "evt", "rep", "ack", "nack", "drop", "msg", "lost"].forEach(function (c) {
    var m = s("marker", { id: "ah-" + self.index + "-" + c, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: "userSpaceOnUse", orient: "auto" }, defs);
    s("path", { d: "M0,1L10,5L0,9z", class: "head " + c }, m);
  });
  var rows = Math.max.apply(null, cols.map(function (c) { return c.length; }).concat([1]));
  var H = Math.max(170, rows * 62 + 30);
  topo.setAttribute("viewBox", "0 0 " + W + " " + H);
  topo.setAttribute("width", W); topo.setAttribute("height", H);
  var nc = cols.length, mx = 80;
  cols.forEach(function (c, ci) {
    var x = nc === 1 ? W / 2 : mx + ci * (W - 2 * mx) / (nc - 1);
    c.forEach(function (n, ri) {
      nodes[n].x = x; nodes[n].y = H / 2 + (ri - (c.length - 1) / 2) * 62;
    });
  });
  this.edgeG = s("g", { class: "edges" }, topo);
  var nodeG = s("g", { class: "nodes" }, topo);
  this.dotG = s("g", { class: "dots" }, topo);
  // nodes first, to know their widths
  this.nodeNames.forEach(function (n) {
    var d = nodes[n], g = s("g", { class: "node " + d.role + (d.dlqOf ? " dlq" : ""), "data-name": n, transform: "translate(" + d.x + "," + d.y + ")" }, nodeG);
    d.g = g;
    d.rect = s("rect", { x: -60, y: -20, width: 120, height: 40, rx: d.role === "topic" ? 20 : d.role === "queue" || d.role === "store" ? 4 : 9 }, g);
    var t = s("text", { class: "nm", y: d.role === "queue" ? -4 : 4 }, g, n);
    var w = Math.max(t.getComputedTextLength ? t.getComputedTextLength() : n.length * 7, 40) + 22;
    if (d.role === "queue") w = Math.max(w, 110);
    d.w = w; d.rect.setAttribute("x", -w / 2); d.rect.setAttribute("width", w);
    if (d.role === "queue") {
      s("rect", { class: "track", x: -w / 2 + 6, y: 5, width: w - 34, height: 9, rx: 2 }, g);
      d.bar = s("rect", { class: "bar", x: -w / 2 + 6, y: 5, width: 0, height: 9, rx: 2 }, g);
      d.depthText = s("text", { class: "depth", x: w / 2 - 5, y: 14 }, g, "");
    } else {
      d.badge = s("text", { class: "badge", x: w / 2 - 3, y: -24 }, g, "");
    }
    d.mark = s("text", { class: "xmark", x: -w / 2 - 2, y: -12 }, g, "");
  });
  // edges: one curved path per ordered pair, bowed so there and back differ
  var edges = {};
  this.events.forEach(function (e) {
    if (!e.arrow && !e.store) return;
    var key = e.actor + "\u0000" + e.to;
    if (!edges[key]) edges[key] = { a: nodes[e.actor], b: nodes[e.to], cls: e.store ? "store" : e.cls };
    e.edge = key;
  });
  this.edges = edges;
  Object.keys(edges).forEach(function (key) {
    var E = edges[key], a = E.a, b = E.b;
    var dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
    var ux = dx / len, uy = dy / len;
    var ax = a.x + ux * Math.min(a.w / 2, Math.abs(a.w / 2 / (ux || 1e-9)), Math.abs(20 / (uy || 1e-9)));
    var ay = a.y + uy * Math.min(a.w / 2, Math.abs(a.w / 2 / (ux || 1e-9)), Math.abs(20 / (uy || 1e-9)));
    var ra = Math.min(Math.abs(b.w / 2 / (ux || 1e-9)), Math.abs(20 / (uy || 1e-9))) + 3;
    var bx = b.x - ux * ra, by = b.y - uy * ra;
    var bow = a.col === b.col ? 0.45 * len : 14;
    var cx = (ax + bx) / 2 - uy * bow, cy = (ay + by) / 2 + ux * bow;
    E.path = s("path", { class: "edge " + E.cls, d: "M" + ax + "," + ay + "Q" + cx + "," + cy + " " + bx + "," + by,
      "marker-end": "url(#ah-" + self.index + "-" + E.cls + ")" }, self.edgeG);
    E.len = E.path.getTotalLength ? E.path.getTotalLength() : len;
  });
  this.dots = {};
  // ---- sequence view ----
  // lanes share the width; names that do not fit their lane alternate on
  // two rows, each then as wide as two lanes, so no name is ever cut; past
  // 60px a lane the view scrolls sideways instead
  var left = 70, n = this.lanes.length;
  var lw = Math.max(60, (W - left - 10) / Math.max(n, 1));
  this.laneX = {};
  this.lanes.forEach(function (name, i) { self.laneX[name] = left + lw * i + lw / 2; });
  this.names.innerHTML = "";
  var sw = left + lw * n + 10, stagger = false;
  this.lanes.forEach(function (name) { if (name.length * 7.6 + 8 > lw) stagger = true; });
  this.names.classList.toggle("stagger", stagger);
  this.lanes.forEach(function (name, i) {
    var w = stagger ? 2 * lw : lw;
    h("div", { class: "lane-name " + nodes[name].role, style: "left:" + (self.laneX[name] - w / 2) + "px;width:" + w + "px" +
      (stagger && i % 2 ? ";top:17px" : "") }, self.names, name);
  });
  this.names.style.width = sw + "px";
  var ys = [], gaps = [], y = 14, ev = this.events, C = this.ctl.idle;
  for (var i = 0; i < ev.length; i++) {
    if (i > 0) {
      var dt = ev[i].t_us - ev[i - 1].t_us;
      if (dt > C) { gaps.push({ y: y + 4, dt: dt }); y += 44; }
      else y += 22 + Math.round(16 * dt / C);
    }
    ys.push(y);
  }
  this.ys = ys; this.gaps = gaps;
  var H2 = y + 30;
  this.seq.setAttribute("width", sw); this.seq.setAttribute("height", H2);
  while (this.seq.firstChild) this.seq.removeChild(this.seq.firstChild);
  var sdefs = s("defs", {}, this.seq);
  ["cmd", "evt", "rep", "ack", "nack", "drop", "msg", "lost"].forEach(function (c) {
    var m = s("marker", { id: "sh-" + self.index + "-" + c, viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 11, markerHeight: 11, markerUnits: "userSpaceOnUse", orient: "auto" }, sdefs);
    s("path", { d: "M0,1L10,5L0,9z", class: "head " + c }, m);
  });
  var bg = s("g", {}, this.seq);
  gaps.forEach(function (g) {
    s("rect", { class: "gap", x: 0, y: g.y, width: sw, height: 26 }, bg);
    s("text", { class: "gaptext", x: 8, y: g.y + 17 }, bg, "⋯ " + fmt(g.dt) + " with nothing happening, compressed ⋯");
  });
  this.lanes.forEach(function (name) { s("line", { class: "lane", x1: self.laneX[name], x2: self.laneX[name], y1: 0, y2: H2 }, bg); });
  this.cursor = s("rect", { class: "cursor", x: 0, y: -100, width: sw, height: 20 }, this.seq);
  this.rowG = s("g", { class: "rows" }, this.seq);
  this.drawn = [-1, -1];
  this.drawRows(true);
};

// drawRows draws the rows in and near the visible part of the sequence
// view (a 20,000-event run keeps only a few hundred in the page).
Run.prototype.drawRows = function (force) {
  var top = this.scroll.scrollTop, hgt = this.scroll.clientHeight || 400;
  var a = Math.max(0, lowerBound(this.ys, top - hgt) - 20), b = Math.min(this.events.length, upperBound(this.ys, top + 2 * hgt) + 20);
  if (!force && a >= this.drawn[0] && b <= this.drawn[1]) return;
  a = Math.max(0, a - 100); b = Math.min(this.events.length, b + 100);
  this.drawn = [a, b];
  var g = this.rowG;
  while (g.firstChild) g.removeChild(g.firstChild);
  for (var i = a; i < b; i++) this.drawRow(g, this.events[i], this.ys[i]);
  this.mark();
};

Run.prototype.drawRow = function (g, e, y) {
  var x = this.laneX, sel = this.ctl.sel, a = e.msg ? e.msg.id : "";
  var cls = "row " + (e.arrow ? "arrow " : "mark ") + e.cls + (sel && sel.run === this && sel.id === a ? " hl" : "");
  var r = s("g", { class: cls, "data-seq": e.seq, "data-i": e.i, "data-kind": e.kind }, g);
  if (a) r.setAttribute("data-id", a);
  s("text", { class: "t", x: 68, y: y + 4 }, r, fmt(e.t_us));
  var label = e.kind + (e.msg ? " " + e.msg.id + " " + e.msg.type + (e.msg.attempt > 1 ? " #" + e.msg.attempt : "") : "") +
    (e.note && !e.arrow ? " · " + e.note : "");
  if (e.kind === "crash" || e.kind === "fault") s("rect", { class: "band " + e.cls, x: 0, y: y - 10, width: this.seq.getAttribute("width"), height: 20 }, r);
  if (e.arrow) {
    var x1 = x[e.actor], x2 = x[e.to], dir = x2 > x1 ? 1 : -1;
    s("line", { x1: x1, y1: y, x2: x2 - dir * 4, y2: y, "marker-end": "url(#sh-" + this.index + "-" + e.cls + ")" }, r);
    s("rect", { class: "hit", x: Math.min(x1, x2), y: y - 11, width: Math.abs(x2 - x1), height: 16 }, r);
    var lt = s("text", { class: "lbl", x: Math.min(x1, x2) + 6, y: y - 4 }, r, label);
    if (e.msg.attempt > 1) lt.classList.add("redo");
  } else {
    var cx = x[e.actor] || 60;
    s("circle", { cx: cx, cy: y, r: 7 }, r);
    s("text", { class: "sym", x: cx, y: y + 4 }, r, e.sym);
    // the label goes where there is room; cut (whole in the tooltip and
    // the panel) only when there is room on neither side
    var right = +this.seq.getAttribute("width") - cx - 16, left = cx - 80, fit = Math.floor(Math.max(right, left) / 7);
    if (label.length > fit) label = label.slice(0, Math.max(fit - 1, 8)) + "…";
    if (label.length * 7 > right && left > right) s("text", { class: "lbl", x: cx - 12, y: y + 4, "text-anchor": "end" }, r, label);
    else s("text", { class: "lbl", x: cx + 12, y: y + 4 }, r, label);
  }
  s("title", {}, r, title(e));
};

function title(e) {
  var t = fmt(e.t_us) + " " + e.kind + " by " + e.actor + (e.to ? " → " + e.to : "");
  if (e.msg) t += "\n" + e.msg.id + " " + (e.msg.class || "") + " " + e.msg.type + " " + (e.msg.key || "") + (e.msg.attempt ? " attempt " + e.msg.attempt : "");
  if (e.note) t += "\n" + e.note;
  if (e.why) t += "\n" + e.why;
  return t;
}

// mark shows the selection on the drawn rows and on the topology's edges.
Run.prototype.mark = function () {
  var sel = this.ctl.sel, mine = sel && sel.run === this;
  this.seq.classList.toggle("has-sel", !!mine);
  this.topo.classList.toggle("has-sel", !!mine);
  var rows = this.rowG.childNodes;
  for (var i = 0; i < rows.length; i++) rows[i].classList.toggle("hl", !!(mine && rows[i].getAttribute("data-id") === sel.id));
  var on = {};
  if (mine) (this.byMsg[sel.id] || []).forEach(function (k) { var e = this.events[k]; if (e.edge) on[e.edge] = 1; }, this);
  for (var key in this.edges) this.edges[key].path.classList.toggle("hl", !!on[key]);
};

// state folds the first n events: queue depths, crashed actors, faults.
Run.prototype.stateAt = function (n) {
  var st = this.st;
  if (!st || st.n > n) {
    st = this.st = { n: 0, depth: {}, crashed: {}, fault: {}, dlq: {}, handled: {}, commit: {} };
    this.maxDepth = this.maxDepth || this.computeMax(); // the bars' scale
  }
  for (; st.n < n; st.n++) {
    var e = this.events[st.n];
    switch (e.kind) {
      case "send": if (this.nodes[e.to] && this.nodes[e.to].role === "queue") st.depth[e.to] = (st.depth[e.to] || 0) + 1; break;
      case "deliver": st.depth[e.actor] = Math.max((st.depth[e.actor] || 0) - 1, 0); break;
      case "timeout": st.depth[e.actor] = (st.depth[e.actor] || 0) + 1; break;
      case "nack": if (this.nodes[e.to] && this.nodes[e.to].role === "queue" && !/reject|dead/i.test(e.why || "")) st.depth[e.to] = (st.depth[e.to] || 0) + 1; break;
      case "dead-letter": st.dlq[e.to] = (st.dlq[e.to] || 0) + 1; st.depth[e.to] = (st.depth[e.to] || 0) + 1; break;
      case "crash": st.crashed[e.actor] = 1; break;
      case "restart": delete st.crashed[e.actor]; break;
      case "fault": case "breaker": if (st.fault[e.actor]) delete st.fault[e.actor]; else st.fault[e.actor] = e.note || e.kind; break;
      case "handle": st.handled[e.actor] = (st.handled[e.actor] || 0) + 1; break;
      case "commit": if (e.store) st.commit[e.to] = st.n; break;
    }
  }
  return st;
};

Run.prototype.computeMax = function () {
  var d = {}, m = {}, self = this;
  this.events.forEach(function (e) {
    var q = e.kind === "deliver" ? e.actor : (e.kind === "send" || e.kind === "dead-letter") && self.nodes[e.to] && self.nodes[e.to].role === "queue" ? e.to : e.kind === "timeout" ? e.actor : null;
    if (!q) return;
    d[q] = Math.max((d[q] || 0) + (e.kind === "deliver" ? -1 : 1), 0);
    m[q] = Math.max(m[q] || 0, d[q]);
  });
  return m;
};

// render draws the run as it is once its first n events happened, at
// play position pos: node states, dots in flight, the current row.
Run.prototype.render = function (n, pos) {
  var st = this.stateAt(n), nodes = this.nodes, max = this.maxDepth;
  for (var name in nodes) {
    var d = nodes[name];
    if (!d.g) continue;
    d.g.classList.toggle("crashed", !!st.crashed[name]);
    d.g.classList.toggle("faulted", !!st.fault[name]);
    if (d.role === "store") d.g.classList.toggle("busy", st.commit[name] !== undefined && this.ps[st.commit[name]] >= pos - this.ctl.flight);
    d.mark.textContent = st.crashed[name] ? "✗" : st.fault[name] ? "▲" : "";
    if (d.bar) {
      var v = st.depth[name] || 0, m = Math.max(max[name] || 1, 1);
      d.bar.setAttribute("width", (d.w - 34) * Math.min(v / m, 1));
      d.depthText.textContent = v ? String(v) : "";
      d.g.classList.toggle("filled", !!(d.dlqOf && v));
    } else if (d.badge) d.badge.textContent = st.handled[name] ? "●" + st.handled[name] : "";
    if (d.g.querySelector("title")) d.g.querySelector("title").textContent = name + (st.fault[name] ? "\nfault: " + st.fault[name] : "");
    else s("title", {}, d.g, name);
  }
  this.drawDots(n, pos);
  this.cur = n - 1;
  var y = n > 0 ? this.ys[n - 1] : -100;
  this.cursor.setAttribute("y", y - 10);
  if (n > 0 && this.ctl.follow) {
    var top = this.scroll.scrollTop, hh = this.scroll.clientHeight;
    if (y < top + 20 || y > top + hh - 30) this.scroll.scrollTop = Math.max(0, y - hh / 3);
  }
};

// drawDots places a dot for every message event that started less than
// the flight time ago, along its edge; a dot keeps its element while it
// flies, keyed by the event's seq.
Run.prototype.drawDots = function (n, pos) {
  var D = this.ctl.flight, ps = this.ps, seen = {}, sel = this.ctl.sel;
  var a = lowerBound(ps, pos - D), count = 0;
  for (var i = Math.min(n, ps.length) - 1; i >= a && count < 300; i--) {
    var e = this.events[i];
    if (!e.arrow || !this.edges[e.edge] || !this.edges[e.edge].path.getPointAtLength) continue;
    var f = D > 0 ? (pos - ps[i]) / D : 1;
    if (f < 0 || f > 1) continue;
    count++;
    var d = this.dots[e.seq];
    if (!d) {
      var shape = e.carries ? (e.msg.class === "event" ? "evt" : e.msg.class === "reply" ? "rep" : "cmd") : e.cls;
      d = s("g", { class: "dot " + shape + (e.msg.attempt > 1 ? " redo" : ""), "data-seq": e.seq, "data-i": e.i, "data-id": e.msg.id }, this.dotG);
      if (shape === "cmd") s("rect", { x: -7, y: -7, width: 14, height: 14, rx: 2 }, d);
      else if (shape === "rep") s("path", { d: "M0,-8L8,0L0,8L-8,0z" }, d);
      else if (shape === "evt") s("circle", { r: 7 }, d);
      else s("circle", { r: 5 }, d);
      if (e.msg.attempt > 1) { s("circle", { class: "ring", r: 10 }, d); s("text", { class: "n", y: -11 }, d, "#" + e.msg.attempt); }
      s("title", {}, d, title(e));
      this.dots[e.seq] = d;
    }
    var E = this.edges[e.edge], p = E.path.getPointAtLength(Math.min(f, 1) * E.len);
    d.setAttribute("transform", "translate(" + p.x.toFixed(1) + "," + p.y.toFixed(1) + ")");
    d.classList.toggle("hl", !!(sel && sel.run === this && sel.id === e.msg.id));
    seen[e.seq] = 1;
  }
  for (var k in this.dots) if (!seen[k]) { this.dotG.removeChild(this.dots[k]); delete this.dots[k]; }
};

// ---- a section's clock: one or two runs, one timeline ----

function Controller(section) {
  var self = this;
  this.section = section;
  var scripts = section.querySelectorAll("script.trace");
  var boxes = section.querySelectorAll(".player");
  this.runs = [];
  for (var i = 0; i < scripts.length; i++) this.runs.push(new Run(scripts[i], boxes[i], section.id + "-" + i));
  // the timeline: every event time of every run; long idle gaps compressed
  var times = [];
  this.runs.forEach(function (r) { r.events.forEach(function (e) { times.push(e.t_us); }); });
  times.sort(function (a, b) { return a - b; });
  times = times.filter(function (t, i) { return i === 0 || t !== times[i - 1]; });
  if (!times.length) times = [0];
  var gaps = [];
  for (i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
  var sorted = gaps.slice().sort(function (a, b) { return a - b; });
  var med = sorted.length ? sorted[sorted.length >> 1] : 1;
  var total = times[times.length - 1] - times[0];
  this.idle = Math.max(8 * med, total / 8, 1);
  var pos = [0], idles = [];
  for (i = 1; i < times.length; i++) {
    var g = times[i] - times[i - 1];
    if (g > this.idle) idles.push({ from: pos[i - 1], t0: times[i - 1], t1: times[i] });
    pos.push(pos[i - 1] + Math.min(g, this.idle));
  }
  this.times = times; this.pos = pos; this.idles = idles;
  this.length = pos[pos.length - 1] || 1;
  var nev = 0;
  this.runs.forEach(function (r) { nev = Math.max(nev, r.events.length); });
  this.seconds = Math.min(Math.max(nev * 0.3, 8), 60); // at 1×
  this.flight = this.length / 40;
  // every run's events on the one timeline
  var merged = [];
  this.runs.forEach(function (r, ri) {
    r.ps = r.events.map(function (e) { return self.posOf(e.t_us); });
    r.events.forEach(function (e, k) { merged.push({ p: r.ps[k], t: e.t_us, r: ri, k: k, seq: e.seq }); });
  });
  merged.sort(function (a, b) { return a.t - b.t || a.r - b.r || a.k - b.k; });
  this.merged = merged;
  this.mp = merged.map(function (m) { return m.p; });
  this.speed = 1; this.at = 0; this.n = 0; this.playing = false; this.follow = true; this.sel = null;
  this.buildControls();
  this.runs.forEach(function (r) { r.build(self); });
  this.linkEvidence();
  this.seek(0, 0);
  var t;
  window.addEventListener("resize", function () { clearTimeout(t); t = setTimeout(function () { self.runs.forEach(function (r) { r.layout(); }); self.draw(); }, 150); });
}

// posOf maps a virtual time to its place on the compressed timeline.
Controller.prototype.posOf = function (t) {
  var i = upperBound(this.times, t) - 1;
  if (i < 0) return 0;
  if (i >= this.times.length - 1) return this.pos[this.pos.length - 1];
  var g = this.times[i + 1] - this.times[i];
  return this.pos[i] + (t - this.times[i]) * Math.min(g, this.idle) / g;
};
// timeOf maps a place on the timeline back to virtual time.
Controller.prototype.timeOf = function (p) {
  var i = upperBound(this.pos, p) - 1;
  if (i < 0) return this.times[0];
  if (i >= this.pos.length - 1) return this.times[this.times.length - 1];
  var span = this.pos[i + 1] - this.pos[i];
  return this.times[i] + (span > 0 ? (p - this.pos[i]) / span * (this.times[i + 1] - this.times[i]) : 0);
};

Controller.prototype.buildControls = function () {
  var self = this, c = this.section.querySelector(".controls");
  this.controls = c;
  function btn(cls, label, tip, fn) { var b = h("button", { class: cls, title: tip }, c, label); b.addEventListener("click", fn); return b; }
  btn("restart", "⇤", "back to the start", function () { self.pause(); self.seek(0, 0); });
  btn("back", "◀❙", "one event back (←)", function () { self.step(-1); });
  this.playBtn = btn("play", "▶", "play / pause (space)", function () { self.toggle(); });
  btn("fwd", "❙▶", "one event forward (→)", function () { self.step(1); });
  var sp = h("select", { class: "speed", title: "speed: 1× plays the run in about " + Math.round(this.seconds) + " s" }, c);
  BASE_SPEEDS.forEach(function (v) { var o = h("option", { value: v }, sp, v + "×"); if (v === 1) o.selected = true; });
  sp.addEventListener("change", function () { self.speed = +sp.value; });
  this.speedSel = sp;
  var track = h("div", { class: "scrub", title: "drag to move through virtual time" }, c);
  this.track = track;
  this.idles.forEach(function (g) {
    h("div", { class: "idle", style: "left:" + (100 * g.from / self.length) + "%;width:" + (100 * self.idle / self.length) + "%",
      title: fmt(g.t1 - g.t0) + " with nothing happening (" + fmt(g.t0) + " to " + fmt(g.t1) + "), compressed" }, track);
  });
  this.merged.forEach(function (m) {
    var e = self.runs[m.r].events[m.k];
    if (!MARKED[e.kind]) return;
    h("div", { class: "marker " + e.kind.replace("-", ""), style: "left:" + (100 * m.p / self.length) + "%",
      title: fmt(e.t_us) + " " + e.kind + " " + e.actor + (e.msg ? " " + e.msg.id : "") + (e.note ? ": " + e.note : "") }, track);
  });
  this.thumb = h("div", { class: "thumb" }, track);
  function scrubTo(ev) {
    var r = track.getBoundingClientRect(), f = Math.min(Math.max((ev.clientX - r.left) / r.width, 0), 1);
    self.seek(f * self.length);
  }
  track.addEventListener("pointerdown", function (ev) {
    self.pause(); scrubTo(ev);
    track.setPointerCapture && track.setPointerCapture(ev.pointerId);
    track.onpointermove = scrubTo;
  });
  track.addEventListener("pointerup", function () { track.onpointermove = null; });
  this.timeBox = h("span", { class: "time" }, c);
};

// seek moves to play position p; n, when given, is how many merged events
// have happened (stepping through events at one time), else all up to p.
Controller.prototype.seek = function (p, n) {
  this.at = Math.min(Math.max(p, 0), this.length);
  this.n = n != null ? n : upperBound(this.mp, this.at);
  this.draw();
};

Controller.prototype.step = function (d) {
  this.pause();
  var n = Math.min(Math.max(this.n + d, 0), this.merged.length);
  this.seek(n > 0 ? this.merged[n - 1].p : 0, n);
};

Controller.prototype.draw = function () {
  var self = this, n = this.n;
  this.runs.forEach(function (r, ri) {
    var k = 0; // how many of this run's events have happened
    for (var i = n - 1; i >= 0; i--) if (self.merged[i].r === ri) { k = self.merged[i].k + 1; break; }
    r.render(k, self.at);
  });
  var t = n > 0 && this.merged[n - 1].p === this.at ? this.merged[n - 1].t : Math.round(this.timeOf(this.at));
  this.thumb.style.left = (100 * this.at / this.length) + "%";
  this.timeBox.setAttribute("data-t", t);
  this.timeBox.setAttribute("data-n", n);
  this.timeBox.textContent = "t = " + fmt(t) + " of " + fmt(this.times[this.times.length - 1]) + " · event " + n + " of " + this.merged.length;
};

Controller.prototype.toggle = function () { if (this.playing) this.pause(); else this.play(); };
Controller.prototype.pause = function () { this.playing = false; this.playBtn.textContent = "▶"; this.playBtn.classList.remove("on"); };
Controller.prototype.play = function () {
  var self = this;
  if (this.at >= this.length) this.seek(0, 0);
  this.playing = true; this.playBtn.textContent = "❚❚"; this.playBtn.classList.add("on");
  var last = performance.now();
  function frame(now) {
    if (!self.playing) return;
    var dt = Math.min(now - last, 100) / 1000;
    last = now;
    self.seek(self.at + dt * self.speed * self.length / self.seconds);
    if (self.at >= self.length) { self.pause(); return; }
    requestAnimationFrame(frame);
  }
  requestAnimationFrame(frame);
};

// select follows one message: its events highlighted in both views and
// listed in the panel; i is the clicked event of run r.
Controller.prototype.select = function (r, i) {
  var e = r.events[i], self = this;
  this.sel = e.msg ? { run: r, id: e.msg.id } : null;
  this.runs.forEach(function (x) { x.mark(); });
  this.draw();
  var p = panel.querySelector(".body");
  p.innerHTML = "";
  panel.hidden = false;
  panel.owner = this;
  var list = e.msg ? r.byMsg[e.msg.id] : [i];
  if (e.msg) {
    h("h3", {}, p, e.msg.id + " " + e.msg.type);
    h("p", {}, p, (e.msg.class || "message") + (e.msg.key ? " · " + e.msg.key : "") + " · " + list.length + " events" +
      (this.runs.length > 1 ? " · " + (r.box.querySelector(".label") || {}).textContent : ""));
  } else h("h3", {}, p, e.kind + " · " + e.actor);
  var ol = h("ol", { class: "life" }, p);
  list.forEach(function (k) {
    var x = r.events[k];
    var li = h("li", { "data-seq": x.seq, class: x.cls + (k === i ? " here" : "") }, ol);
    h("span", { class: "tm" }, li, fmt(x.t_us));
    h("b", {}, li, " " + x.sym + " " + x.kind + (x.msg && x.msg.attempt > 1 ? " #" + x.msg.attempt : ""));
    li.appendChild(document.createTextNode(" " + x.actor + (x.to ? " → " + x.to : "")));
    if (x.note || x.why) h("small", {}, li, (x.note || "") + (x.why ? " — " + x.why : ""));
    li.addEventListener("click", function () { self.pause(); self.goTo(r, k); });
  });
};

// goTo moves the clock to just after event k of run r.
Controller.prototype.goTo = function (r, k) {
  var ri = this.runs.indexOf(r);
  for (var j = 0; j < this.merged.length; j++) if (this.merged[j].r === ri && this.merged[j].k === k) { this.seek(this.merged[j].p, j + 1); return; }
};

// linkEvidence turns the message ids and keys the checks cite into links
// that select the message.
Controller.prototype.linkEvidence = function () {
  var self = this, tops = this.section.querySelectorAll(".top");
  tops.forEach(function (top, ri) {
    var r = self.runs[ri];
    if (!r) return;
    var keys = {};
    r.events.forEach(function (e, k) { if (e.msg && e.msg.key && keys[e.msg.key] === undefined) keys[e.msg.key] = k; });
    top.querySelectorAll(".checks li").forEach(function (li) {
      var walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT), texts = [];
      while (walker.nextNode()) texts.push(walker.currentNode);
      texts.forEach(function (tn) {
        var parts = tn.textContent.split(/(\b[A-Za-z]*[-]?\d+\b)/);
        if (parts.length < 2) return;
        var frag = document.createDocumentFragment(), any = false;
        parts.forEach(function (part, pi) {
          var k = pi % 2 ? (r.byMsg[part] ? r.byMsg[part][0] : keys[part]) : undefined;
          if (k === undefined) { frag.appendChild(document.createTextNode(part)); return; }
          any = true;
          var a = h("a", { href: "#", class: "cite", "data-i": k, title: "show its life" }, frag, part);
          a.addEventListener("click", function (ev) { ev.preventDefault(); self.pause(); self.goTo(r, k); self.select(r, k); });
        });
        if (any) tn.parentNode.replaceChild(frag, tn);
      });
    });
  });
};

// ---- the page ----

var panel = document.getElementById("panel");
panel.querySelector(".close").addEventListener("click", closePanel);
function closePanel() {
  panel.hidden = true;
  var c = panel.owner;
  if (c) { c.sel = null; c.runs.forEach(function (r) { r.mark(); }); c.draw(); }
}
var controllers = {}, active = null;
function show(i) {
  var secs = document.querySelectorAll("section.run");
  secs.forEach(function (sec, k) { sec.hidden = k !== i; });
  document.querySelectorAll("nav.toc a").forEach(function (a, k) { a.classList.toggle("on", k === i); });
  if (active) active.pause();
  if (!controllers[i]) controllers[i] = new Controller(secs[i]);
  active = controllers[i];
  window.msgplayActive = active;
}
document.querySelectorAll("nav.toc a").forEach(function (a) {
  a.addEventListener("click", function (ev) { ev.preventDefault(); show(+a.getAttribute("data-section")); });
});
document.addEventListener("keydown", function (ev) {
  if (!active || ev.target.closest && ev.target.closest("select,input,textarea")) return;
  if (ev.key === " ") { ev.preventDefault(); active.toggle(); }
  else if (ev.key === "ArrowRight") { ev.preventDefault(); active.step(1); }
  else if (ev.key === "ArrowLeft") { ev.preventDefault(); active.step(-1); }
  else if (ev.key === "Escape") closePanel();
});
var start = /^#s(\d+)$/.exec(location.hash);
show(start ? +start[1] : 0);
if (start) window.scrollTo(0, 0);
document.body.setAttribute("data-ready-ms", Math.round(performance.now()));
document.body.setAttribute("data-ready", "1");
})();
