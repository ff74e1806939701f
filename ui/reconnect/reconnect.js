// After a lost connection, the page asks the server to run it again: the whole page, with every
// widget's value as the browser holds it.
//
// Behind the balancer (make classroom) a browser whose replica died reconnects to another one, where
// a fresh session knows nothing of this page: not its widgets' values, not its fragments. Streamlit's
// page does not always ask the new session for a run, and until one happens a click in a fragment
// (an edit of the score table, a class vote, Step) is dropped by the server, which does not know the
// fragment. A full run right after the reconnect registers them all again. On the same server a
// reconnect costs one extra run, nothing more.
//
// Streamlit exposes the page's connection state on its root element (data-test-connection-state);
// this watches it and reports "rejoined" when it comes back to CONNECTED after a loss.
// When Streamlit's page does ask for a run itself (it does when its last run was a fragment's),
// that run is enough: the report waits a moment and is not sent if a run started meanwhile, so the
// replica that takes over a dead one's students is not asked for two runs each.
//
// One watcher per page, kept on window: a second copy of this script (a new version served by
// another replica during a deploy) must not report every reconnect twice.
const CONNECTED = "CONNECTED";
const CONNECTION = "data-test-connection-state";
const SCRIPT = "data-test-script-state";
const IDLE = "notRunning";
const WAIT_FOR_OWN_RUN_MS = 500;

function watcher() {
  if (window.losslabReconnect) return window.losslabReconnect;
  const root = document.querySelector("[data-testid='stApp']");
  if (!root || !root.hasAttribute(CONNECTION)) {
    console.warn("LossLab: the page's connection state was not found; a reconnect will not rerun it");
    return null;
  }
  const state = {lost: false, back: false, ran: false, report: null, generation: 0};
  const rejoined = () => {
    state.back = false;
    if (!state.ran && state.report) state.report("rejoined", Date.now());  // a new value: a run
  };
  new MutationObserver(() => {
    if (state.back && root.getAttribute(SCRIPT) !== IDLE) state.ran = true;
    if (root.getAttribute(CONNECTION) !== CONNECTED) {
      state.lost = true;
    } else if (state.lost) {
      state.lost = false;
      state.back = true;
      state.ran = root.getAttribute(SCRIPT) !== IDLE;
      setTimeout(rejoined, WAIT_FOR_OWN_RUN_MS);
    }
  }).observe(root, {attributes: true, attributeFilter: [CONNECTION, SCRIPT]});
  window.losslabReconnect = state;
  return state;
}

export default function (component) {
  const state = watcher();
  if (!state) return undefined;
  state.report = component.setStateValue;  // the latest mount's
  const generation = (state.generation += 1);
  return () => {
    if (state.generation === generation) state.report = null;  // unmounted, no newer mount since
  };
}
