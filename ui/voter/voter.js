// The anonymous student, and how their page hears of the class's next question.
//
// A random id for this browser, kept in localStorage so a reload or a second tab votes as the same
// student (one answer per student). 128 random bits from crypto.getRandomValues, which works on a
// plain-http classroom server too (crypto.randomUUID needs a secure context). Nothing else is read.
//
// Once the student is in a class, data.watch is the class's watch address (ui/class_watch.py) and
// data.drawn the version of the question the page shows. Every WATCH_MS the browser asks the
// server for the class's version; when it differs from the one drawn, state "seen" reports it and
// Streamlit reruns the page's poll. No script runs while nothing changes. While data.need_id says
// the session has no id (the rerun a report caused was lost), the id is reported again.
const KEY = "losslab.voter";
const WATCH_MS = 1000;
const RETRY_CHECKS = 3;
// The session still has no id this long after a report: report it again, waiting twice as long
// each time (a server under load may just be slow to rerun).
const REPORT_AGAIN_MS = [2000, 4000, 8000, 16000];
const watchers = new Map();  // parentElement -> this mount's watcher

function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

let pageId = null;  // this page's id once read: every report gives the same one

function browserId() {
  if (pageId) return pageId;
  try {
    pageId = window.localStorage.getItem(KEY);
    if (!/^[0-9a-f]{32}$/.test(pageId || "")) {
      pageId = newId();
      window.localStorage.setItem(KEY, pageId);
    }
  } catch (error) {
    pageId = pageId || newId();  // storage blocked (a private window): an id for this page's life
  }
  return pageId;
}

function reportId(watcher) {
  watcher.idAt = Date.now();
  watcher.setStateValue("id", browserId());  // even unchanged, a report reruns the fragment
}

function reportAgainIfNeeded(watcher) {
  if (!watcher.data.needId) {
    watcher.tries = 0;
    return;
  }
  const wait = REPORT_AGAIN_MS[Math.min(watcher.tries, REPORT_AGAIN_MS.length - 1)];
  if (Date.now() - watcher.idAt >= wait) {
    watcher.tries += 1;
    reportId(watcher);
  }
}

async function check(watcher) {
  reportAgainIfNeeded(watcher);
  if (watcher.data.url) {
    try {
      const response = await fetch(watcher.data.url, {cache: "no-store"});
      const {v} = response.ok ? await response.json() : {};
      if (watcher.stopped) return;
      const drawn = watcher.data.drawn;  // as the page is now (it may have rerun meanwhile)
      if (typeof v === "string" && v !== drawn) {
        // A rerun asked for is normally drawn within a check or two; if it never came (a rerun
        // lost in a reconnect, a store error on the server), ask again.
        watcher.stale = v === watcher.reported ? watcher.stale + 1 : 0;
        if (v !== watcher.reported || watcher.stale >= RETRY_CHECKS) {
          watcher.reported = v;
          watcher.stale = 0;
          watcher.setStateValue("seen", {v, at: Date.now()});  // a new value, so Streamlit reruns
        }
      }
    } catch (error) {
      // The server is away (a restart, a lost network): the page shows its own connection
      // state, and the next check tries again. Said once per page, not every second.
      if (!watcher.warned) console.warn("LossLab: the class could not be checked; retrying", error);
      watcher.warned = true;
    }
  }
  if (!watcher.stopped) watcher.timer = setTimeout(() => check(watcher), WATCH_MS);
}

export default function (component) {
  const {data, parentElement, setStateValue} = component;
  let watcher = watchers.get(parentElement);
  if (!watcher) {
    watcher = {reported: null, stale: 0, tries: 0, timer: null, stopped: false, setStateValue};
    watchers.set(parentElement, watcher);
    reportId(watcher);
    watcher.timer = setTimeout(() => check(watcher), WATCH_MS);
  }
  watcher.setStateValue = setStateValue;
  const next = {
    url: (data || {}).watch || "",
    drawn: (data || {}).drawn || "",
    needId: Boolean((data || {}).need_id),
  };
  if (watcher.data && watcher.data.drawn !== next.drawn) watcher.reported = null;  // drawn anew
  watcher.data = next;
  // Streamlit calls this function again whenever the data changes, and calls a cleanup at once
  // when a call was overtaken by a newer one: only the latest call's cleanup (the real unmount)
  // stops the watch.
  const generation = (watcher.generation = (watcher.generation || 0) + 1);
  return () => {
    if (watcher.generation !== generation) return;
    watcher.stopped = true;  // a check still waiting on its fetch ends there
    clearTimeout(watcher.timer);
    watchers.delete(parentElement);
  };
}
