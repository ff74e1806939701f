// The LossLab player (after TensorFlow Playground's Player): plays a trajectory that core computed
// once, in the browser, with no server rerun per frame. Real buttons, a native range scrubber and
// keys (Space: play/pause; ArrowLeft/ArrowRight and PageUp/PageDown, as a presentation clicker
// sends: one step; Home/End). The step shown goes back to Python as state "t" = {step, seq} when
// playback pauses or ends, and shortly after a burst of single steps, so the page's editors and URL
// use it.
// The root element exposes data-step, data-frame (frames drawn so far) and data-playing.

const FRAME_MS = 1000 / 60 - 1;  // at most one new frame per 60 Hz display refresh
const REPORT_MS = 350;  // single steps in a burst are reported to Python once
// Keys pressed in these (outside the player) belong to them; anywhere else on the page they drive
// the player, so a presentation clicker works without clicking the player first.
const OTHER_CONTROLS = "input, textarea, select, button, a[href], [contenteditable], [role=slider], "
  + "[role=combobox], [role=listbox], [role=grid], [role=tab], [role=switch], [role=checkbox]";

class Player {
  constructor(parent) {
    for (const old of parent.querySelectorAll(".ll-player")) old.remove();
    this.root = document.createElement("div");
    this.root.className = "ll-player";
    this.root.tabIndex = -1;
    parent.appendChild(this.root);
    this.t = 0;
    this.frames = 0;
    this.playing = false;
    this.reported = null;
    this.seq = Date.now();  // every report differs, so Python hears a step even if it saw it before
    this.timer = null;
    this.onKey = (event) => this.key(event);
    document.addEventListener("keydown", this.onKey);
  }

  load(data, uid) {
    this.pause(false);
    this.data = data;
    this.root.replaceChildren();
    this.root.classList.toggle("ll-present", Boolean(data.present));
    const bar = document.createElement("div");
    bar.className = "ll-controls";
    this.root.appendChild(bar);
    this.playButton = this.button(bar, "ll-play", () => (this.playing ? this.pause() : this.play()));
    this.stepButton = this.button(bar, "ll-step", () => this.step(1));
    this.resetButton = this.button(bar, "ll-reset", () => this.seekAndReport(0));
    this.scrub = document.createElement("input");
    Object.assign(this.scrub, {type: "range", min: 0, max: data.last, step: 1, className: "ll-scrub"});
    this.scrub.addEventListener("input", () => { this.pause(false); this.seekAndReport(Number(this.scrub.value)); });
    bar.appendChild(this.scrub);
    this.counter = document.createElement("output");
    this.counter.className = "ll-counter";
    bar.appendChild(this.counter);
    const stage = document.createElement("div");
    stage.className = "ll-stage";
    this.root.appendChild(stage);
    this.note = document.createElement("p");
    this.note.className = "ll-note";
    this.root.appendChild(this.note);
    this.draw = VIEWS[data.kind](stage, data, uid);
    this.relabel(data);
    this.show(Math.min(data.t, data.last), true);
  }

  relabel(data) {
    const l = data.labels;
    this.stepButton.textContent = l.step;
    this.resetButton.textContent = l.reset;
    this.scrub.setAttribute("aria-label", l.scrub);
    this.root.setAttribute("aria-label", l.player);
    this.updateButtons();
  }

  button(bar, cls, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = cls;
    b.addEventListener("click", action);
    bar.appendChild(b);
    return b;
  }

  show(t, force = false) {
    t = Math.max(0, Math.min(t, this.data.last));
    if (t === this.t && !force) return;
    this.t = t;
    this.draw(t);
    this.frames += 1;
    this.scrub.value = String(t);
    this.counter.textContent = this.data.labels.counter.replace("{step}", t).replace("{last}", this.data.last);
    this.note.textContent = t === this.data.last && this.data.labels.end ? this.data.labels.end : "";
    this.root.dataset.step = String(t);
    this.root.dataset.frame = String(this.frames);
    this.updateButtons();
  }

  updateButtons() {
    const l = this.data.labels;
    this.playButton.textContent = this.playing ? l.pause : l.play;
    this.playButton.setAttribute("aria-pressed", String(this.playing));
    this.stepButton.disabled = this.t >= this.data.last;
    this.resetButton.disabled = this.t === 0;
    this.playButton.disabled = this.data.last === 0;
    this.root.dataset.playing = String(this.playing);
  }

  play() {
    if (this.playing || this.data.last === 0) return;
    if (this.t >= this.data.last) this.show(0);
    this.playing = true;
    this.updateButtons();
    let previous = performance.now();
    const tick = (now) => {
      if (!this.playing) return;
      if (now - previous >= FRAME_MS) {
        previous = now;
        this.show(this.t + this.data.speed);
        if (this.t >= this.data.last) { this.pause(); return; }
      }
      this.raf = requestAnimationFrame(tick);
    };
    this.raf = requestAnimationFrame(tick);
  }

  pause(report = true) {
    const was = this.playing;
    this.playing = false;
    cancelAnimationFrame(this.raf);
    if (this.data) this.updateButtons();
    if (was && report) this.report(0);
  }

  step(delta) {
    this.pause(false);
    this.seekAndReport(this.t + delta);
  }

  seekAndReport(t) {
    this.show(t);
    this.report(REPORT_MS);
  }

  // Tell Python the step shown (a state value: the fragment reruns once with it).
  report(delay) {
    clearTimeout(this.timer);
    const send = () => {
      if (this.playing || this.t === this.reported || this.data.report === false) return;
      this.reported = this.t;
      this.seq += 1;
      this.setStateValue("t", {step: this.t, seq: this.seq});
    };
    if (delay) this.timer = setTimeout(send, delay);
    else send();
  }

  key(event) {
    if (!this.data || event.altKey || event.ctrlKey || event.metaKey) return;
    const path = event.composedPath();
    const origin = path[0];
    const inside = path.includes(this.root);
    const busy = origin instanceof Element && origin.closest(OTHER_CONTROLS);
    if (!inside && busy) return;  // typing in, or pressing, another widget: not ours
    const actions = {
      " ": () => (this.playing ? this.pause() : this.play()),
      ArrowRight: () => this.step(1), PageDown: () => this.step(1),
      ArrowLeft: () => this.step(-1), PageUp: () => this.step(-1),
      Home: () => this.step(-this.t), End: () => this.step(this.data.last - this.t),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();  // no page scroll, no second click on a focused button
    action();
  }
}

const players = new WeakMap();

// A page may send the trajectory as one JSON text, "payload" (ui/player packed), with the step and
// speed beside it: the text is parsed once per trajectory, not on every server run.
function unpacked(raw, player) {
  if (typeof raw.payload !== "string") return raw;
  const {payload, ...rest} = raw;
  if (player.payloadText !== payload) {
    player.payloadText = payload;
    player.payload = JSON.parse(payload);
  }
  return {...player.payload, ...rest};
}

export default function (component) {
  const {parentElement, setStateValue, key} = component;
  let player = players.get(parentElement);
  if (!player) {
    player = new Player(parentElement);
    players.set(parentElement, player);
  }
  const data = unpacked(component.data, player);
  player.setStateValue = setStateValue;
  if (!player.data || player.data.id !== data.id) {
    player.load(data, key);
    player.reported = data.t;
  } else if (data.t !== player.reported) {
    player.pause(false);  // Python moved the step (a link, a restart): follow it
    player.reported = data.t;
    player.data = data;
    player.show(data.t, true);
  } else {
    player.data = data;  // same run: new labels (language) or theme; keep playing
    player.relabel(data);
    player.show(player.t, true);
  }
  // Streamlit calls this function again whenever the data or the theme changes, and calls a
  // cleanup at once when a call was overtaken by a newer one: only the latest call's cleanup
  // (the real unmount) may take the player down.
  const generation = (player.generation = (player.generation || 0) + 1);
  return () => {
    if (player.generation !== generation) return;
    player.pause(false);
    clearTimeout(player.timer);
    document.removeEventListener("keydown", player.onKey);
    player.root.remove();
    players.delete(parentElement);
  };
}
