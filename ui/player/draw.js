// Drawing for the LossLab player: SVG built once per trajectory, then per frame only attributes
// and texts change (no element is removed while playing, so no frame is ever blank).
// Every number shown arrives formatted from Python; here numbers only become pixel positions.

const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function html(tag, cls, parent, text = null) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== null) node.textContent = text;  // textContent: never parsed as HTML
  if (parent) parent.appendChild(node);
  return node;
}

function bit(b64, i) {
  const byte = b64.charCodeAt(i >> 3);
  return (byte >> (7 - (i & 7))) & 1;
}

function round(v) {
  return Math.round(v * 10) / 10;
}

// A line chart of whole series, revealed up to the step shown by a clip rectangle.
function curveChart(parent, spec, last, uid) {
  const W = 420, H = 190, L = 52, R = 12, T = 30, B = 30;
  const box = html("figure", "ll-curve", parent);
  const svg = el("svg", {viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": spec.title}, box);
  const x = (k) => L + (last > 0 ? k / last : 0) * (W - L - R);
  const lo = spec.ymin || 0;
  const y = (v) => T + (1 - Math.min(Math.max((v - lo) / (spec.ymax - lo), 0), 1)) * (H - T - B);
  el("text", {x: 4, y: 16, class: "ll-title"}, svg).textContent = spec.title;
  for (const [v, label] of spec.ticks) {
    el("line", {x1: L, x2: W - R, y1: round(y(v)), y2: round(y(v)), class: "ll-grid"}, svg);
    el("text", {x: L - 6, y: round(y(v)) + 4, class: "ll-tick", "text-anchor": "end"}, svg).textContent = label;
  }
  for (const k of [0, last]) {
    el("text", {x: round(x(k)), y: H - 10, class: "ll-tick", "text-anchor": "middle"}, svg).textContent = String(k);
  }
  el("text", {x: (L + W - R) / 2, y: H - 10, class: "ll-tick", "text-anchor": "middle"}, svg).textContent = spec.xlabel;
  const clipId = `${uid}-${spec.id}-clip`;
  const clip = el("rect", {x: 0, y: 0, width: L, height: H}, el("clipPath", {id: clipId}, el("defs", {}, svg)));
  const lines = el("g", {"clip-path": `url(#${clipId})`}, svg);
  const dots = [];
  for (const s of spec.series) {
    const pts = s.values.map((v, k) => `${round(x(k))},${round(y(v))}`).join(" ");
    el("polyline", {points: pts, class: "ll-series", stroke: s.color}, lines);
    dots.push(el("circle", {r: 4.5, fill: s.color, class: "ll-dot"}, svg));
  }
  if (spec.diverged) {
    el("line", {x1: x(last), x2: x(last), y1: T, y2: H - B, class: "ll-diverged"}, svg);
  }
  const cursor = el("line", {y1: T, y2: H - B, class: "ll-cursor"}, svg);
  const legend = html("figcaption", "ll-legend", box);
  for (const s of spec.series) {
    const item = html("span", "ll-key", legend);
    html("span", "ll-swatch ll-swatch-line", item).style.background = s.color;
    html("span", null, item, s.name);
  }
  return (t) => {
    clip.setAttribute("width", round(x(t)) + 2);
    cursor.setAttribute("x1", round(x(t)));
    cursor.setAttribute("x2", round(x(t)));
    spec.series.forEach((s, i) => {
      const k = Math.min(t, s.values.length - 1);  // a run that diverged ends early
      dots[i].setAttribute("cx", round(x(k)));
      dots[i].setAttribute("cy", round(y(s.values[k])));
    });
  };
}

// The optimization page: decision regions, points, zero-score lines and rows of W; the numbers
// (losses, accuracies, W and b); the loss and accuracy curves.
function classifierView(stage, data, uid) {
  const d = data, e = d.extent, S = 400, P = 6;
  const px = (v) => round(P + ((v + e) / (2 * e)) * S);
  const py = (v) => round(P + ((e - v) / (2 * e)) * S);
  const left = html("div", "ll-left", stage);
  const right = html("div", "ll-right", stage);

  html("div", "ll-caption", left, d.labels.picture);
  const svg = el("svg", {viewBox: `0 0 ${S + 2 * P} ${S + 2 * P}`, class: "ll-picture", role: "img",
    "aria-label": d.labels.picture}, left);
  const defs = el("defs", {}, svg);
  d.colors.classes.forEach((color, c) => {
    const m = el("marker", {id: `${uid}-arrow-${c}`, viewBox: "0 0 10 10", refX: 8, refY: 5,
      markerWidth: 4, markerHeight: 4, orient: "auto-start-reverse"}, defs);
    el("path", {d: "M0,0 L10,5 L0,10 z", fill: color}, m);
  });
  el("rect", {x: P, y: P, width: S, height: S, class: "ll-frame"}, svg);
  const regions = d.colors.tints.map((tint) => el("polygon", {fill: tint, class: "ll-region"}, svg));
  el("line", {x1: px(-e), x2: px(e), y1: py(0), y2: py(0), class: "ll-axis"}, svg);
  el("line", {x1: px(0), x2: px(0), y1: py(-e), y2: py(e), class: "ll-axis"}, svg);
  const zero = d.colors.classes.map((color) => el("line", {stroke: color, class: "ll-zero"}, svg));
  const arrows = d.colors.classes.map((color, c) => el("line", {x1: px(0), y1: py(0), stroke: color,
    class: "ll-arrow", "marker-end": `url(#${uid}-arrow-${c})`}, svg));
  const rings = [];
  for (const [x1, x2, c] of d.points) {
    el("circle", {cx: px(x1), cy: py(x2), r: 5.5, fill: d.colors.classes[c], class: "ll-point"}, svg);
  }
  for (const [x1, x2] of d.points) {
    rings.push(el("circle", {cx: px(x1), cy: py(x2), r: 9.5, stroke: d.colors.wrong, class: "ll-ring"}, svg));
  }
  el("text", {x: S + P - 4, y: py(0) - 6, class: "ll-tick", "text-anchor": "end"}, svg).textContent = "x₁";
  el("text", {x: px(0) + 6, y: P + 16, class: "ll-tick"}, svg).textContent = "x₂";

  const legend = html("div", "ll-legend", left);
  d.colors.classes.forEach((color, c) => {
    const item = html("span", "ll-key", legend);
    html("span", "ll-swatch ll-swatch-dot", item).style.background = color;
    html("span", null, item, d.labels.classes[c]);
  });
  for (const [cls, text] of [["ring", d.labels.wrong], ["arrow", d.labels.arrow], ["dash", d.labels.zero]]) {
    const item = html("span", "ll-key", legend);
    html("span", `ll-swatch ll-swatch-${cls}`, item);
    html("span", null, item, text);
  }

  const metrics = html("dl", "ll-metrics", right);
  const values = {};
  for (const name of d.metrics) {
    const box = html("div", "ll-metric", metrics);
    html("dt", null, box, d.labels.metrics[name]);
    values[name] = html("dd", null, box, "");
    values[name].dataset.metric = name;
  }
  const table = html("table", "ll-params", right);
  const head = html("tr", null, html("thead", null, table));
  for (const h of ["", "W[·, 1]", "W[·, 2]", "b"]) html("th", null, head, h);
  const body = html("tbody", null, table);
  const cells = d.labels.classes.map((name, c) => {
    const row = html("tr", null, body);
    const th = html("th", null, row);  // the name in the text colour (legible), its colour as a dot
    html("span", "ll-swatch ll-swatch-dot", th).style.background = d.colors.classes[c];
    th.append(" " + name);
    return [html("td", null, row, ""), html("td", null, row, ""), html("td", null, row, "")];
  });
  const curves = [curveChart(right, d.curves.loss, d.last, uid), curveChart(right, d.curves.acc, d.last, uid)];

  return (t) => {
    const f = d.frames;
    f.regions[t].forEach((poly, c) => {
      let pts = "";
      for (let i = 0; i < poly.length; i += 2) pts += `${px(poly[i])},${py(poly[i + 1])} `;
      regions[c].setAttribute("points", pts);
    });
    f.lines[t].forEach((seg, c) => {
      zero[c].style.display = seg ? "" : "none";
      if (seg) {
        zero[c].setAttribute("x1", px(seg[0])); zero[c].setAttribute("y1", py(seg[1]));
        zero[c].setAttribute("x2", px(seg[2])); zero[c].setAttribute("y2", py(seg[3]));
      }
    });
    f.arrows[t].forEach(([x1, x2], c) => {
      arrows[c].setAttribute("x2", px(x1));
      arrows[c].setAttribute("y2", py(x2));
    });
    const wrong = atob(f.wrong[t]);
    rings.forEach((ring, i) => { ring.style.display = bit(wrong, i) ? "" : "none"; });
    for (const name of d.metrics) values[name].textContent = f.text[name][t];
    cells.forEach((row, c) => {
      row[0].textContent = f.text.W[t][c][0];
      row[1].textContent = f.text.W[t][c][1];
      row[2].textContent = f.text.b[t][c];
    });
    curves.forEach((draw) => draw(t));
  };
}

// The gradients page: several optimizers' paths over a loss surface's shaded levels, growing
// step by step, with each one's loss (numbers from Python) and the loss curves.
function pathsView(stage, data, uid) {
  const d = data, S = 400, P = 6, n = d.levels.n;
  const left = html("div", "ll-left", stage);
  const right = html("div", "ll-right", stage);
  html("div", "ll-caption", left, d.labels.picture);
  const box = html("div", "ll-surface", left);
  const canvas = html("canvas", null, box);
  canvas.width = n; canvas.height = n;
  const paint = () => {  // the shaded levels, in the theme's text colour (dark on light, light on dark)
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, n, n);
    ctx.fillStyle = getComputedStyle(box).color;
    const levels = atob(d.levels.data);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        ctx.globalAlpha = 0.04 + 0.3 * levels.charCodeAt(i * n + j) / d.levels.count;
        ctx.fillRect(j, n - 1 - i, 1, 1);
      }
    }
  };
  paint();
  const svg = el("svg", {viewBox: `0 0 ${S + 2 * P} ${S + 2 * P}`, class: "ll-picture", role: "img",
    "aria-label": d.labels.picture}, box);
  el("rect", {x: P, y: P, width: S, height: S, class: "ll-frame"}, svg);
  el("rect", {x: P, y: P, width: S, height: S}, el("clipPath", {id: `${uid}-box`}, el("defs", {}, svg)));
  const inside = el("g", {"clip-path": `url(#${uid}-box)`}, svg);  // a run that flies off stays in the frame
  const [x0, x1, y0, y1] = d.box;
  const px = (v) => round(P + ((v - x0) / (x1 - x0)) * S);
  const py = (v) => round(P + ((y1 - v) / (y1 - y0)) * S);
  if (d.minimum) {
    el("path", {d: `M${px(d.minimum[0])},${py(d.minimum[1]) - 9} l2.6,6 6.4,0.5 -4.9,4.2 1.5,6.3 -5.6,-3.4 `
      + "-5.6,3.4 1.5,-6.3 -4.9,-4.2 6.4,-0.5 z", class: "ll-star"}, svg);
  }
  const runs = d.runs.map((r) => {
    const pts = r.path.map(([a, b]) => `${px(a)},${py(b)}`);
    return {pts, line: el("polyline", {stroke: r.color, class: "ll-path"}, inside),
      dot: el("circle", {r: 6, fill: r.color, class: "ll-dot"}, inside)};
  });
  const legend = html("div", "ll-legend", left);
  d.runs.forEach((r) => {
    const item = html("span", "ll-key", legend);
    html("span", "ll-swatch ll-swatch-line", item).style.background = r.color;
    html("span", null, item, r.name);
  });
  if (d.minimum) {
    const item = html("span", "ll-key", legend);
    html("span", "ll-swatch ll-swatch-star", item, "★");
    html("span", null, item, d.labels.minimum);
  }
  const table = html("table", "ll-params", right);
  const head = html("tr", null, html("thead", null, table));
  for (const h of ["", d.labels.value]) html("th", null, head, h);
  const body = html("tbody", null, table);
  const cells = d.runs.map((r) => {
    const row = html("tr", null, body);
    const th = html("th", null, row);  // the name in the text colour, the run's colour as a line
    html("span", "ll-swatch ll-swatch-line", th).style.background = r.color;
    th.append(" " + r.name);
    const cell = html("td", null, row, "");
    cell.dataset.metric = r.id;
    return cell;
  });
  const curve = curveChart(right, d.curve, d.last, uid);
  return (t) => {
    runs.forEach((r, i) => {
      const k = Math.min(t, r.pts.length - 1);
      r.line.setAttribute("points", r.pts.slice(0, k + 1).join(" "));
      const [cx, cy] = r.pts[k].split(",");
      r.dot.setAttribute("cx", cx);
      r.dot.setAttribute("cy", cy);
      cells[i].textContent = d.runs[i].text[k];
    });
    curve(t);
  };
}

const VIEWS = {classifier: classifierView, paths: pathsView};
