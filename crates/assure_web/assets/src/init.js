// Progressive enhancement only: every page works without this file.
import { initAll } from "/assets/govuk-frontend.min.js";

document.body.classList.add("js-enabled");
if ("noModule" in HTMLScriptElement.prototype) {
  document.body.classList.add("govuk-frontend-supported");
}
initAll();

// An upload form marked data-upload-progress shows how much of the file has been sent. Without
// this script the form posts as usual.
for (const form of document.querySelectorAll("form[data-upload-progress]")) {
  form.addEventListener("submit", (event) => {
    if (!window.XMLHttpRequest || !window.FormData) return;
    event.preventDefault();
    const status = form.querySelector("#upload-status");
    const bar = form.querySelector("#upload-progress");
    const percent = form.querySelector("#upload-percent");
    const button = form.querySelector("button[type=submit]");
    if (status) status.hidden = false;
    if (button) button.disabled = true;
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", (e) => {
      if (!e.lengthComputable) return;
      const p = Math.round((e.loaded / e.total) * 100);
      if (bar) bar.value = p;
      if (percent) percent.textContent = p < 100 ? `${p}% sent` : "Sent: counting the contacts";
    });
    xhr.addEventListener("load", () => {
      const target = new URL(xhr.responseURL, window.location.href);
      if (xhr.status === 200 && target.pathname !== new URL(form.action, window.location.href).pathname) {
        window.location.assign(target.href);
        return;
      }
      // The form again with its errors: show the page the server sent.
      const page = new DOMParser().parseFromString(xhr.responseText, "text/html");
      document.title = page.title;
      document.body.replaceWith(document.adoptNode(page.body));
    });
    xhr.addEventListener("error", () => {
      if (percent) percent.textContent = "The upload failed: check the connection and try again.";
      if (button) button.disabled = false;
    });
    xhr.send(new FormData(form));
  });
}

// A table wider than its container scrolls inside it: such a container becomes a named region
// that keyboard users can reach and scroll (WCAG 2.1.1); one that fits stays out of the tab order.
function markScrollingTables() {
  for (const box of document.querySelectorAll(".assure-table-container")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      const caption = box.querySelector("caption");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", caption && caption.textContent.trim() ? caption.textContent.trim() : "Table");
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }
}
markScrollingTables();
window.addEventListener("resize", markScrollingTables);
