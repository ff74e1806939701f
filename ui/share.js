// LossLab's "copy link" button (ui/share.py): one click puts a link on the clipboard and says so.
// data.url is the link to copy, or null for this page's own address as the browser shows it now
// (with the state the page keeps in its query string), minus the parameters in data.private.
// The root exposes data-link: the last link copied.

function pageLink(privateNames) {
  const url = new URL(window.location.href);
  if (!privateNames.some((name) => url.searchParams.has(name))) return window.location.href;
  for (const name of privateNames) url.searchParams.delete(name);
  return url.href;
}

function copyBySelection(text) {
  // For a page served over plain http on a classroom network, where navigator.clipboard is absent.
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const copied = document.execCommand("copy");
  area.remove();
  if (!copied) throw new Error("the browser refused to copy");
}

async function write(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch (error) {
      // a denied permission: try the older way below
    }
  }
  copyBySelection(text);
}

const COPIED_MS = 2500;  // how long the button says "Copied"
const copiedAt = new Map();  // component key -> when it last copied: a button remounted by a rerun still says so

class CopyButton {
  constructor(parent) {
    this.root = document.createElement("div");
    this.root.className = "ll-copy";
    this.button = document.createElement("button");
    this.button.type = "button";
    this.status = document.createElement("span");
    this.status.className = "ll-copy-status";
    this.status.setAttribute("role", "status");
    this.manual = document.createElement("input");
    this.manual.readOnly = true;
    this.manual.hidden = true;
    this.root.append(this.button, this.status, this.manual);
    parent.appendChild(this.root);
    this.timer = null;
    this.button.addEventListener("click", () => this.copy());
  }

  load(data, key) {
    this.data = data;
    this.key = key;
    this.button.title = data.help || "";
    // text, never HTML; a rerun while "Copied" shows (a fragment, the page's own) leaves it showing
    const left = (copiedAt.get(key) ?? -Infinity) + COPIED_MS - Date.now();
    if (left > 0) this.showCopied(left);
    else if (this.timer === null) this.button.textContent = data.label;
  }

  showCopied(ms) {
    clearTimeout(this.timer);
    this.button.textContent = "✓ " + this.data.copied;  // the label says it, in place: no layout shift
    this.status.textContent = this.data.copied;  // for a screen reader
    this.timer = setTimeout(() => {
      this.timer = null;
      this.button.textContent = this.data.label;
      this.status.textContent = "";
    }, ms);
  }

  async copy() {
    const link = this.data.url ?? pageLink(this.data.private);
    clearTimeout(this.timer);
    try {
      await write(link);
      this.manual.hidden = true;
      this.status.classList.remove("ll-copy-visible");
      copiedAt.set(this.key, Date.now());
      this.root.dataset.link = link;
      this.showCopied(COPIED_MS);
    } catch (error) {
      this.timer = null;
      this.button.textContent = this.data.label;
      this.status.textContent = this.data.failed;
      this.status.classList.add("ll-copy-visible");
      this.manual.value = link;
      this.manual.hidden = false;
      this.manual.select();
    }
  }
}

const buttons = new WeakMap();

export default function (component) {
  const {data, parentElement, key} = component;
  let button = buttons.get(parentElement);
  if (!button) {
    button = new CopyButton(parentElement);
    buttons.set(parentElement, button);
  }
  button.load(data, key);
}
