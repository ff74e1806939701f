// The anonymous student, and how their page hears of the class's next question.
//
// A random id for this browser, kept in localStorage so a reload or a second tab votes as the same
// student (one answer per student). 128 random bits from crypto.getRandomValues, which works on a
// plain-http classroom server too (crypto.randomUUID needs a secure context). Nothing else is read.
//
// Once the student is in a class, data.watch is the class's watch address (ui/class_watch.py) and
// data.drawn the version of the question the page shows. Every WATCH_MS the browser asks the
// server for the class's version; when it differs from the one drawn, state "seen" reports it and
// Streamlit reruns the page's poll. No script runs while nothing changes.
const KEY = "losslab.voter";
const WATCH_MS = 1000;
const watchers = new Map();  // parentElement -> this mount's watcher

function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function browserId() {
  let id = null;
  try {
    id = window.localStorage.getItem(KEY);
    if (!/^[0-9a-f]{32}$/.test(id || "")) {
      id = newId();
      window.localStorage.setItem(KEY, id);
    }
  } catch (error) {
    id = id || newId();  // storage blocked (a private window): an id for this page's life
  }
  return id;
}

async function check(watcher) {
  const {url, drawn} = watcher.data;
  if (url) {
    try {
      const response = await fetch(url, {cache: "no-store"});
      const {v} = response.ok ? await response.json() : {};
      if (typeof v === "string" && v !== drawn && v !== watcher.reported) {
        watcher.reported = v;
        watcher.setStateValue("seen", v);
      }
    } catch (error) {
      // The server is away (a restart, a lost network): the page shows its own connection
      // state, and the next check tries again.
    }
  }
  watcher.timer = setTimeout(() => check(watcher), WATCH_MS);
}

export default function (component) {
  const {data, parentElement, setStateValue} = component;
  let watcher = watchers.get(parentElement);
  if (!watcher) {
    watcher = {reported: null, timer: null};
    watchers.set(parentElement, watcher);
    setStateValue("id", browserId());
    watcher.timer = setTimeout(() => check(watcher), WATCH_MS);
  }
  watcher.setStateValue = setStateValue;
  watcher.data = {url: (data || {}).watch || "", drawn: (data || {}).drawn || ""};
  // Streamlit calls this function again whenever the data changes, and calls a cleanup at once
  // when a call was overtaken by a newer one: only the latest call's cleanup (the real unmount)
  // stops the watch.
  const generation = (watcher.generation = (watcher.generation || 0) + 1);
  return () => {
    if (watcher.generation !== generation) return;
    clearTimeout(watcher.timer);
    watchers.delete(parentElement);
  };
}
