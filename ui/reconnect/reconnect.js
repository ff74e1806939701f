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
const CONNECTED = "CONNECTED";
let lost = false;
let observer = null;
let report = null;  // the latest mount's setStateValue

function watch(root) {
  observer = new MutationObserver(() => {
    const state = root.getAttribute("data-test-connection-state");
    if (state && state !== CONNECTED) {
      lost = true;
    } else if (state === CONNECTED && lost) {
      lost = false;
      if (report) report("rejoined", Date.now());  // a new value: Streamlit reruns the page
    }
  });
  observer.observe(root, {attributes: true, attributeFilter: ["data-test-connection-state"]});
}

export default function (component) {
  report = component.setStateValue;
  if (!observer) {
    const root = document.querySelector("[data-testid='stApp']");
    if (root) {
      watch(root);
    } else {
      console.warn("LossLab: the page's connection state was not found; a reconnect will not rerun it");
    }
  }
}
