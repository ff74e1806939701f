// A random id for this browser, kept in localStorage so a reload or a second tab votes as the same
// student (one answer per student). 128 random bits from crypto.getRandomValues, which works on a
// plain-http classroom server too (crypto.randomUUID needs a secure context). Nothing else is read.
const KEY = "losslab.voter";

function newId() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

export default function (component) {
  const {setStateValue} = component;
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
  setStateValue("id", id);
}
