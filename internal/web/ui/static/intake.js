// Tawthiq: the intake form with scripts on. The report's fields are posted
// alone (the server answers JSON), then each file is uploaded in resumable
// pieces (upload.js) with a progress bar, and its SHA-256 is shown once it
// is stored. Without scripts the form posts everything in one request, as
// before. No inline script; text goes in with textContent only.
(function () {
  "use strict";

  const STRINGS = {
    en: {
      saving: "Saving the report…",
      saved: "Report stored.",
      existed: "This report was already stored.",
      open: "Open the report",
      waiting: "Waiting",
      stored: "Stored",
      failed: "Not stored:",
      network: "The report could not be sent: no connection. Check the network and send again.",
      refused: "The report was not stored.",
      allStored: "All files stored.",
      someFailed: "Some files were not stored; send the form again with them to resume.",
    },
    ar: {
      saving: "جارٍ حفظ التقرير…",
      saved: "حُفظ التقرير.",
      existed: "هذا التقرير محفوظ من قبل.",
      open: "افتح التقرير",
      waiting: "في الانتظار",
      stored: "حُفظ",
      failed: "لم يُحفظ:",
      network: "تعذّر إرسال التقرير: لا اتصال. تحقّق من الشبكة وأعد الإرسال.",
      refused: "لم يُحفظ التقرير.",
      allStored: "حُفظت كل الملفات.",
      someFailed: "لم تُحفظ بعض الملفات؛ أعد إرسال النموذج معها ليُستأنف رفعها.",
    },
  };
  const lang = (document.documentElement.lang || "").toLowerCase().indexOf("ar") === 0 ? "ar" : "en";

  function t(key) {
    return STRINGS[lang][key];
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // localURL keeps a link the server gave only if it stays on this site.
  function localURL(u) {
    try {
      const url = new URL(u, window.location.href);
      return url.origin === window.location.origin ? url.pathname + url.search : null;
    } catch (e) {
      return null;
    }
  }

  function hashCode(sha) {
    const c = el("code", "hash", sha);
    c.dir = "ltr";
    return c;
  }

  // errorText is the message of an error answer from the form's action.
  function errorText(body, status) {
    const e = body && body.error;
    if (!e) return t("refused") + " (" + status + ")";
    const parts = [e.message || t("refused")];
    (e.fields || []).forEach(function (f) {
      const m = (lang === "ar" && f.message_ar) || f.message;
      if (m) parts.push((f.field ? f.field + ": " : "") + m);
    });
    return parts.join(" — ");
  }

  async function postReport(form) {
    const params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string") params.append(name, value); // files go separately
    });
    let resp;
    try {
      resp = await fetch(form.action, {
        method: "POST",
        body: params,
        headers: { "Accept": "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (e) {
      throw new Error(t("network"));
    }
    let body = null;
    try {
      body = await resp.json();
    } catch (e) {
      // not JSON
    }
    if (!resp.ok || !body || typeof body.report_id !== "string") throw new Error(errorText(body, resp.status));
    return body;
  }

  function reportLine(list, report) {
    const li = el("li", "stored ok");
    li.appendChild(el("span", "", (report.existed ? t("existed") : t("saved")) + " "));
    const href = localURL(report.url || "");
    if (href) {
      const a = el("a", "", t("open"));
      a.href = href;
      li.appendChild(a);
    }
    if (report.sha256) {
      li.appendChild(el("span", "", " SHA-256: "));
      li.appendChild(hashCode(report.sha256));
    }
    list.appendChild(li);
  }

  // fileRow is one file's line: name, progress bar, state, and in the end
  // its SHA-256 or why it was not stored.
  function fileRow(list, file) {
    const li = el("li", "file");
    const name = el("bdi", "", file.name);
    const bar = el("progress");
    bar.max = file.size || 1;
    bar.value = 0;
    const state = el("span", "state", t("waiting"));
    li.appendChild(name);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(bar);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(state);
    list.appendChild(li);
    return {
      progress: function (sent, total) {
        bar.max = total || 1;
        bar.value = sent;
        bar.textContent = Math.floor((100 * sent) / (total || 1)) + "%";
      },
      state: function (text) {
        state.textContent = text;
      },
      done: function (result) {
        const sha = result && result.record && result.record.record && result.record.record.sha256;
        state.textContent = t("stored") + " ";
        if (sha) state.appendChild(hashCode(sha));
        li.classList.add("ok");
      },
      fail: function (err) {
        state.textContent = t("failed") + " " + err.message;
        li.classList.add("error");
      },
    };
  }

  async function submit(form, list) {
    const input = document.getElementById("intake-files");
    const files = input && input.files ? Array.prototype.slice.call(input.files) : [];
    while (list.firstChild) list.removeChild(list.firstChild);
    const status = el("li", "", t("saving"));
    list.appendChild(status);
    let report;
    try {
      report = await postReport(form);
    } catch (err) {
      status.textContent = err.message;
      status.className = "error";
      return;
    }
    list.removeChild(status);
    reportLine(list, report);
    let failed = 0;
    for (const file of files) {
      const row = fileRow(list, file);
      try {
        const result = await window.tawthiqUpload(file, report.report_id, {
          user: form.getAttribute("data-user") || "",
          onProgress: row.progress,
          onState: row.state,
        });
        row.done(result);
      } catch (err) {
        failed++;
        row.fail(err);
      }
    }
    if (files.length) list.appendChild(el("li", failed ? "error" : "ok", failed ? t("someFailed") : t("allStored")));
    if (!failed) form.reset();
  }

  function start() {
    const form = document.getElementById("intake-form");
    const list = document.getElementById("intake-progress");
    if (!form || !list || typeof window.fetch !== "function" || typeof window.tawthiqUpload !== "function") return;
    const button = form.querySelector("button[type=submit], button:not([type])");
    let busy = false;
    form.addEventListener("submit", async function (ev) {
      ev.preventDefault();
      if (busy) return;
      busy = true;
      if (button) button.disabled = true;
      try {
        await submit(form, list);
      } finally {
        busy = false;
        if (button) button.disabled = false;
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
