// Built by tools/build-widget.mjs from widget/src/ and chatserver/static/shared/: edit those, then run it.
(() => {
  // widget/src/context.js
  function newState(store) {
    return {
      token: store("localStorage", "token"),
      open: !!store("sessionStorage", "open"),
      online: 0,
      conv: null,
      unread: 0,
      ready: false,
      loaded: false,
      left: false,
      unavailable: false,
      busy: false,
      started: false,
      // a visit succeeded on this page
      score: 0
    };
  }
  var uid = () => crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2);

  // widget/src/connection.js
  async function rest(w, method, p, body) {
    const headers = {};
    if (body) headers["Content-Type"] = "text/plain;charset=UTF-8";
    else if (w.S.token) headers.Authorization = `Bearer ${w.S.token}`;
    const r = await fetch(w.page.origin + p, { method, headers, body: body && JSON.stringify(body), credentials: "omit" });
    const data = await r.json().catch(() => ({}));
    if (!r.ok) {
      const retry = Number(r.headers.get("Retry-After")) || 0;
      throw Object.assign(new Error(data.error && data.error.message || r.statusText), { status: r.status, retry });
    }
    return data;
  }
  var request = (w, type, data = {}, retry = false) => w.sock ? w.sock.request(type, data, { retry }) : Promise.reject(new Error("not connected"));

  // chatserver/static/shared/dom.js
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (value === void 0 || value === null || value === false) continue;
      if (key === "dataset") Object.assign(node.dataset, value);
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
      else if (key === "class") node.className = value;
      else if (value === true) node.setAttribute(key, "");
      else node.setAttribute(key, String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === void 0 || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  var LINK = /((?:https?:\/\/|mailto:)[^\s<>"]*[^\s<>".,;:!?)'\]])/i;
  function linked(text) {
    return String(text).split(LINK).map((x, i) => i % 2 ? el("a", { href: x, target: "_blank", rel: "noopener noreferrer" }, x) : x);
  }

  // widget/src/panel.js
  var setState = (w, s) => w.v.host.setAttribute("data-state", s);
  var showStatus = (w, text) => {
    w.v.status.textContent = text || "";
    w.v.status.hidden = !text;
  };
  function setUnread({ S, t, v }, n) {
    S.unread = n;
    v.badge.textContent = n > 99 ? "99+" : String(n);
    v.badge.hidden = n === 0;
    const open = S.lt ? `${S.lt}, ${t("open")}` : t("open");
    v.launcher.setAttribute("aria-label", n ? `${open} (${t("unread", { n })})` : open);
  }
  function setOpen(w, open, focus = true) {
    const { S, v } = w;
    S.open = open;
    w.store("sessionStorage", "open", open ? 1 : null);
    v.panel.hidden = !open;
    v.launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      setUnread(w, 0);
      v.log.scrollTop = v.log.scrollHeight;
      if (focus) (v.composer.hidden ? v.leaveForm.hidden ? v.closeBtn : (
        /** @type {HTMLElement} */
        v.leaveForm.querySelector("input:not([hidden]),textarea")
      ) : v.input).focus();
    } else if (focus) v.launcher.focus();
  }
  function pick({ S, v }, n) {
    S.score = n;
    v.stars.forEach((b, i) => {
      b.classList.toggle("on", i < n);
      b.setAttribute("aria-pressed", String(i + 1 === n));
    });
    v.rateSend.disabled = !n;
  }
  function preForm({ S, t, v }, pre) {
    const f = pre ? S.pre.fields : { name: "required", email: "required", phone: "optional" };
    for (const [k, [l, i]] of Object.entries(v.asked)) {
      l.hidden = i.hidden = !f[k];
      l.textContent = (k === "phone" ? t("tel") : t(k)) + (f[k] === "optional" ? t("opt") : "");
      i.toggleAttribute("required", f[k] === "required");
    }
    v.lBody.textContent = t(pre ? "question" : "message");
    v.leaveSend.textContent = t(pre ? "start" : "leave");
  }
  function render(w) {
    const { S, t, v } = w;
    const halted = S.busy ? "busy" : S.unavailable ? "unavailable" : "";
    if (halted) {
      setState(w, halted);
      v.composer.hidden = v.leaveForm.hidden = v.trBar.hidden = true;
      v.notice.textContent = t(halted);
      v.notice.hidden = false;
      return;
    }
    const op = S.conv && S.conv.state === "active" && S.conv.operator;
    v.opName.textContent = op ? t("chattingWith", { name: op.name }) : "";
    v.opName.hidden = !op;
    if (S.conv && S.conv.state === "resolved") {
      if (v.log.lastChild !== v.rateItem) {
        v.log.append(v.resolvedNote, v.rateItem);
        v.log.scrollTop = v.log.scrollHeight;
      }
      v.rateForm.hidden = !!S.conv.rating;
      v.rated.hidden = !S.conv.rating;
    } else {
      v.resolvedNote.remove();
      v.rateItem.remove();
      if (S.score) pick(w, 0);
      v.rateText.value = "";
    }
    const hrs = S.hours || {}, closed = hrs.open === false, idle = !(S.conv && S.conv.state === "active");
    const offline = idle && (S.online === 0 || closed);
    const pre = S.isPre = !offline && !!S.pre && !S.conv;
    preForm(w, pre);
    v.composer.hidden = offline || pre;
    v.leaveForm.hidden = !(offline || pre) || S.left;
    v.notice.hidden = !offline && !pre;
    const at = hrs.opens_at && new Date(hrs.opens_at).toLocaleString(w.page.lang, { weekday: "long", hour: "2-digit", minute: "2-digit" });
    const away = closed ? [hrs.away || t("closed"), at ? t("opens", { at }) : ""].join(" ").trim() : t("offline");
    v.notice.textContent = offline ? S.left ? t("thanks") : away : pre ? t("pre") : "";
    v.trBar.hidden = !w.shown.size;
    setState(w, offline ? closed ? "closed" : "offline" : "ready");
  }

  // widget/src/messages.js
  var linkify = (n, s) => n.replaceChildren(...linked(s));
  function showSeen({ S, t, v }) {
    const last = [.../** @type {NodeListOf<HTMLElement>} */
    v.log.querySelectorAll("li[data-id]")].pop();
    v.seen.textContent = t("seen");
    if (last && last.dataset.sender === "visitor" && S.conv && S.conv.seen) last.append(v.seen);
    else v.seen.remove();
  }
  var typingTimer = (
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    void 0
  );
  function showTyping(w, on, name) {
    const { S, t } = w;
    clearTimeout(typingTimer);
    w.v.typing.textContent = on ? t("typing", { name: name || S.conv && S.conv.operator && S.conv.operator.name || t("someone") }) : "";
    if (on) typingTimer = setTimeout(() => showTyping(w, false), 8e3);
  }
  function addMessage(w, m, { pending = false } = {}) {
    const { S, t, h, v, shown } = w;
    if (!m) return;
    const key = m.id != null ? String(m.id) : `c:${m.client_msg_id}`;
    let li = shown.get(key) || m.client_msg_id && shown.get(`c:${m.client_msg_id}`);
    const fresh = !li;
    if (!li) {
      li = h("li", { "data-testid": "lc-message" }, h("span", { class: "who" }), h("p", { class: "body", "data-testid": "lc-message-body" }), h("time", { class: "at", "data-testid": "lc-message-time" }));
      const after = m.id != null && [.../** @type {HTMLCollectionOf<HTMLElement>} */
      v.log.children].find((x) => x.dataset.id && Number(x.dataset.id) > m.id);
      v.log.insertBefore(li, after || null);
    }
    li.className = `${m.sender || "visitor"}${pending ? " pending" : ""}`;
    li.setAttribute("data-sender", m.sender || "visitor");
    if (m.id != null) li.dataset.id = m.id;
    const [who, body, at] = (
      /** @type {[HTMLElement, HTMLElement, HTMLTimeElement]} */
      [...li.children]
    );
    who.textContent = m.sender === "visitor" ? t("you") : m.sender_name || "";
    const f = m.kind === "file" && m.meta && m.meta.file;
    if (!f) linkify(body, m.body);
    else if (!body.dataset.file) fileView(w, body, f);
    if (m.created_at) {
      at.dateTime = m.created_at;
      at.textContent = new Date(m.created_at).toLocaleTimeString(w.page.lang, { hour: "2-digit", minute: "2-digit" });
    }
    if (fresh && S.loaded && m.sender === "visitor" && S.conv) S.conv.seen = false;
    if (m.client_msg_id) shown.set(`c:${m.client_msg_id}`, li);
    if (m.id != null) shown.set(String(m.id), li);
    v.trBar.hidden = false;
    if (fresh && !pending && m.sender !== "visitor" && (!S.open || document.hidden) && S.loaded) setUnread(w, S.unread + 1);
    showSeen(w);
    v.log.scrollTop = v.log.scrollHeight;
  }
  function fileView(w, body, f) {
    const { t, h } = w;
    const origin = w.page.origin;
    body.dataset.file = f.id;
    const kb = f.size / 1024;
    const size = kb < 1 ? `${f.size} B` : kb < 1024 ? `${Math.round(kb)} KB` : `${(kb / 1024).toFixed(1)} MB`;
    const a = h("a", { target: "_blank", rel: "noopener", "data-testid": "lc-file" });
    const img = f.image ? h("img", { alt: t("image", { n: f.name }), "data-testid": "lc-file-thumb", width: Math.min(240, f.width || 240) }) : null;
    if (img) a.append(img);
    else {
      a.className = "file";
      a.setAttribute("download", f.name);
      a.setAttribute("aria-label", t("download", { n: f.name, s: size }));
      a.append(h("span", { text: f.name }), h("small", { text: size }));
    }
    body.replaceChildren(a);
    rest(w, "GET", `/api/files/${f.id}`).then((d) => {
      a.href = origin + d.url;
      if (img) img.src = origin + d.thumb_url;
    }, () => {
    });
  }

  // widget/src/composer.js
  function composer(w) {
    const { S, t, v, shown } = w;
    const { input } = v;
    let typingSent = 0;
    let idleTimer = 0;
    const sendTyping = (on) => {
      typingSent = on ? Date.now() : 0;
      if (S.ready) request(w, "livechat.typing", { typing: on }).catch(() => {
      });
    };
    input.addEventListener("input", () => {
      clearTimeout(idleTimer);
      if (!input.value) return typingSent && sendTyping(false);
      if (Date.now() - typingSent > 3e3) sendTyping(true);
      idleTimer = setTimeout(() => sendTyping(false), 4e3);
    });
    input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        v.composer.requestSubmit();
      }
    });
    v.composer.addEventListener("submit", (e) => {
      e.preventDefault();
      const body = input.value.trim();
      if (!body) return;
      input.value = "";
      v.sendErr.textContent = "";
      clearTimeout(idleTimer);
      if (typingSent) sendTyping(false);
      const m = { client_msg_id: uid(), body, sender: "visitor" };
      addMessage(w, m, { pending: true });
      request(w, "livechat.send", { body, client_msg_id: m.client_msg_id }, true).then(
        (ack) => {
          if (ack.conversation) S.conv = ack.conversation;
          addMessage(w, ack.message || { ...m, id: void 0 });
          shown.get(`c:${m.client_msg_id}`)?.classList.remove("pending");
          render(w);
          showSeen(w);
        },
        (err) => {
          if (err.code === "outside_hours") {
            shown.get(`c:${m.client_msg_id}`)?.remove();
            shown.delete(`c:${m.client_msg_id}`);
            S.hours = { ...err.details || {}, open: false };
            v.fBody.value = body;
            render(w);
            return;
          }
          v.sendErr.textContent = t("failed", { m: err.message });
        }
      );
    });
    const sendFiles = (list, e) => {
      if (!list || !list.length) return;
      e && e.preventDefault();
      for (const file of list) sendFile(w, file);
    };
    v.picker.addEventListener("change", () => {
      sendFiles([...v.picker.files || []]);
      v.picker.value = "";
    });
    input.addEventListener("paste", (e) => sendFiles(e.clipboardData && e.clipboardData.files, e));
    v.panel.addEventListener("dragover", (e) => e.preventDefault());
    v.panel.addEventListener("drop", (e) => sendFiles(e.dataTransfer && e.dataTransfer.files, e));
  }
  async function sendFile(w, file) {
    const { S, t, v } = w;
    const name = file.name || `image.${(file.type.split("/")[1] || "png").replace("jpeg", "jpg")}`;
    v.sendErr.textContent = t("sending", { n: name });
    const q = new URLSearchParams({ name, client_msg_id: uid() });
    try {
      const r = await fetch(`${w.page.origin}/api/livechat/visitor/files?${q}`, {
        method: "POST",
        body: file,
        credentials: "omit",
        headers: { Authorization: `Bearer ${S.token}`, "Content-Type": "application/octet-stream" }
      });
      const data = await r.json().catch(() => ({}));
      const e = data.error;
      if (e) {
        const c = e.code;
        const m = c === "file_too_large" ? t("tooBig", { mb: e.details.megabytes }) : /^file_(type|content)/.test(c) ? t("badType") : /^image_/.test(c) ? t("badImage") : e.message;
        throw new Error(m);
      }
      v.sendErr.textContent = "";
      if (data.conversation) S.conv = data.conversation;
      addMessage(w, data.message);
      render(w);
    } catch (err) {
      v.sendErr.textContent = t("notSent", { n: name, m: (
        /** @type {Error} */
        err.message
      ) });
    }
  }

  // widget/src/forms.js
  function rating(w) {
    const { S, t, v } = w;
    v.stars.forEach((b, i) => b.addEventListener("click", () => pick(w, i + 1)));
    v.rateForm.addEventListener("submit", (ev) => {
      ev.preventDefault();
      if (!S.score) return;
      v.rateSend.disabled = true;
      request(w, "livechat.rate", { score: S.score, comment: v.rateText.value.trim() || void 0 }).then(
        (ack) => {
          S.conv = ack.conversation || S.conv;
          render(w);
        },
        (err) => {
          v.rateErr.textContent = t("failed", { m: err.message });
          v.rateSend.disabled = false;
        }
      );
    });
  }
  function leaveForm(w) {
    const { S, t, v } = w;
    let leaveId = null;
    v.leaveForm.addEventListener("submit", (e) => {
      e.preventDefault();
      leaveId = leaveId || uid();
      const data = { name: v.fName.value.trim(), email: v.fEmail.value.trim(), phone: v.fPhone.value.trim(), body: v.fBody.value.trim(), client_msg_id: leaveId };
      const pre = S.isPre;
      if (pre) {
        for (const k of Object.keys(v.asked)) if (!S.pre.fields[k] || !data[k]) delete data[k];
      }
      if (pre ? !data.body : !data.name || !/.@./.test(data.email) || !data.body) {
        v.leaveErr.textContent = pre ? t("need", { f: v.lBody.textContent }) : t("required");
        return;
      }
      v.leaveErr.textContent = "";
      request(w, pre ? "livechat.send" : "livechat.leave_message", data, true).then(
        (ack) => {
          leaveId = null;
          S.left = !pre;
          if (ack && ack.conversation) S.conv = ack.conversation;
          if (ack && ack.message) addMessage(w, ack.message);
          if (pre) v.fBody.value = "";
          render(w);
          (pre ? v.input : v.closeBtn).focus();
        },
        (err) => {
          const k = err.details && err.details.field, f = v.asked[k];
          v.leaveErr.textContent = f && err.code === "missing_field" ? t("need", { f: f[0].textContent }) : k === "email" ? t("badEmail") : t("failed", { m: err.message });
        }
      );
    });
  }
  function transcript(w) {
    const { S, t, v } = w;
    v.trBtn.addEventListener("click", () => {
      v.trForm.hidden = !v.trForm.hidden;
      v.trBtn.setAttribute("aria-expanded", String(!v.trForm.hidden));
      v.trMsg.textContent = "";
      if (!v.trForm.hidden) {
        v.trEmail.value = v.trEmail.value || S.conv && S.conv.visitor && S.conv.visitor.email || v.fEmail.value.trim();
        v.trEmail.focus();
      }
    });
    v.trForm.addEventListener("submit", (e) => {
      e.preventDefault();
      const email = v.trEmail.value.trim();
      const say = (text, ok) => {
        v.trMsg.textContent = text;
        v.trMsg.style.color = ok ? "#1d2430" : "";
      };
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return say(t("badEmail"));
      v.trSend.disabled = true;
      request(w, "livechat.transcript", { email }).then(
        (ack) => {
          v.trForm.hidden = true;
          v.trBtn.setAttribute("aria-expanded", "false");
          say(t("transcriptSent", { email: ack.to || email }), true);
        },
        (err) => say(err.code === "rate_limited" ? t("tooOften") : err.code === "invalid_value" ? t("badEmail") : t("failed", { m: err.message }))
      ).finally(() => v.trSend.disabled = false);
    });
  }

  // chatserver/static/shared/i18n.js
  function fill(text, params = {}) {
    return text.replace(/\{(\w+)\}/g, (m, name) => name in params ? String(params[name]) : m);
  }
  function translator(tables, lang) {
    return (key, params = {}) => fill(tables[lang()]?.[key] ?? tables.en[key] ?? key, params);
  }

  // widget/src/strings.js
  var STRINGS = {
    en: {
      title: "Chat with us",
      open: "Open chat",
      close: "Close chat",
      greeting: "Hello! How can we help you?",
      chattingWith: "You are chatting with {name}",
      messages: "Messages",
      input: "Your message",
      placeholder: "Type your message…",
      send: "Send",
      typing: "{name} is typing…",
      someone: "Someone",
      you: "You",
      seen: "Seen",
      unread: "{n} unread messages",
      offline: "No one is available right now. Leave a message and we will get back to you.",
      closed: "We are closed right now. Leave a message and we will get back to you.",
      opens: "We are open again {at}.",
      name: "Name",
      email: "E-mail",
      phone: "Phone (optional)",
      message: "Message",
      leave: "Send message",
      thanks: "Thank you! Your message has been sent; we will get back to you.",
      required: "Please fill in your name, a valid e-mail address and a message.",
      unavailable: "Chat is not available on this page.",
      busy: "It is busy right now; connecting again in a moment…",
      resolved: "This chat has been closed. Write again if you have another question.",
      connecting: "Connecting…",
      reconnecting: "Connection lost, reconnecting…",
      failed: "Not sent: {m}",
      rateQuestion: "How would you rate this chat?",
      stars: "{n} of 5 stars",
      rateComment: "A comment (optional)",
      rateSend: "Send rating",
      rated: "Thank you for your rating!",
      transcript: "Send me the transcript",
      transcriptSent: "The transcript has been sent to {email}.",
      badEmail: "Please enter a valid e-mail address.",
      tooOften: "You asked for the transcript too often; please try again later.",
      pre: "Tell us who you are and ask your question; we will answer in this chat.",
      question: "Your question",
      start: "Start chat",
      tel: "Phone",
      opt: " (optional)",
      need: "Please fill in: {f}.",
      attach: "Attach a file",
      sending: "Sending {n}…",
      notSent: "{n} was not sent: {m}",
      tooBig: "the file is larger than {mb} MB.",
      badType: "files of this type cannot be sent (images, PDF, Office documents, text and zip can).",
      badImage: "the image cannot be used.",
      image: "Image: {n}",
      download: "Download {n} ({s})"
    },
    nl: {
      title: "Chat met ons",
      open: "Chat openen",
      close: "Chat sluiten",
      greeting: "Hallo! Waarmee kunnen we u helpen?",
      chattingWith: "U chat met {name}",
      messages: "Berichten",
      input: "Uw bericht",
      placeholder: "Typ uw bericht…",
      send: "Versturen",
      typing: "{name} is aan het typen…",
      someone: "Iemand",
      you: "U",
      seen: "Gezien",
      unread: "{n} ongelezen berichten",
      offline: "Er is op dit moment niemand beschikbaar. Laat een bericht achter, dan nemen we contact met u op.",
      closed: "We zijn nu gesloten. Laat een bericht achter, dan nemen we contact met u op.",
      opens: "We zijn weer open op {at}.",
      name: "Naam",
      email: "E-mailadres",
      phone: "Telefoonnummer (optioneel)",
      message: "Bericht",
      leave: "Bericht versturen",
      thanks: "Bedankt! Uw bericht is verstuurd; we nemen contact met u op.",
      required: "Vul uw naam, een geldig e-mailadres en een bericht in.",
      unavailable: "De chat is op deze pagina niet beschikbaar.",
      busy: "Het is nu erg druk; we verbinden zo opnieuw…",
      resolved: "Dit gesprek is afgesloten. Schrijf gerust opnieuw als u nog een vraag heeft.",
      connecting: "Verbinden…",
      reconnecting: "Verbinding verbroken, opnieuw verbinden…",
      failed: "Niet verstuurd: {m}",
      rateQuestion: "Hoe beoordeelt u dit gesprek?",
      stars: "{n} van 5 sterren",
      rateComment: "Een opmerking (optioneel)",
      rateSend: "Beoordeling versturen",
      rated: "Bedankt voor uw beoordeling!",
      transcript: "Stuur mij het gespreksverslag",
      transcriptSent: "Het gespreksverslag is verstuurd naar {email}.",
      badEmail: "Vul een geldig e-mailadres in.",
      tooOften: "U heeft het verslag te vaak opgevraagd; probeer het later opnieuw.",
      pre: "Vertel ons wie u bent en stel uw vraag; we antwoorden in deze chat.",
      question: "Uw vraag",
      start: "Chat starten",
      tel: "Telefoonnummer",
      opt: " (optioneel)",
      need: "Vul in: {f}.",
      attach: "Bestand bijvoegen",
      sending: "{n} wordt verzonden…",
      notSent: "{n} is niet verzonden: {m}",
      tooBig: "het bestand is groter dan {mb} MB.",
      badType: "dit soort bestand kan niet worden verzonden (afbeeldingen, PDF, Office-documenten, tekst en zip wel).",
      badImage: "de afbeelding kan niet worden gebruikt.",
      image: "Afbeelding: {n}",
      download: "{n} downloaden ({s})"
    }
  };

  // widget/src/labels.js
  function labeller(page) {
    const t = translator(STRINGS, () => page.lang);
    const labels = [];
    const T = (k, p) => ({ k, p });
    const h = (tag, attrs = {}, ...kids) => {
      const filled = {};
      for (const [k, v] of Object.entries(attrs)) filled[k] = v && v.k ? t(v.k, v.p) : v;
      const n = el(tag, filled, ...kids);
      for (const [k, v] of Object.entries(attrs)) if (v && v.k) labels.push([n, k, v.k, v.p]);
      return n;
    };
    const relabel = () => {
      for (const [n, k, key, p] of labels) k === "text" ? n.textContent = t(key, p) : n.setAttribute(k, t(key, p));
    };
    return { t, T, h, relabel };
  }

  // widget/src/page.js
  function ownScript() {
    return (
      /** @type {HTMLScriptElement | null | undefined} */
      document.currentScript || [.../** @type {NodeListOf<HTMLScriptElement>} */
      document.querySelectorAll("script[data-site]")].find((s) => /\/widget(\/\w+)?\.js(\?|#|$)/.test(s.src)) || null
    );
  }
  function readPage(me) {
    const raw = me.getAttribute("data-site") || "";
    const origin = new URL(me.src, location.href).origin;
    const key = `cslc:${origin}:${raw}`;
    const spoken = (navigator.languages || [navigator.language || ""]).map((l) => l.slice(0, 2).toLowerCase()).find((l) => l === "nl" || l === "en");
    const lang = spoken || (() => {
      try {
        return localStorage.getItem(`${key}:lang`);
      } catch {
        return null;
      }
    })() || "en";
    return { site: /^\d+$/.test(raw) ? Number(raw) : raw, origin, key, preview: me.hasAttribute("data-preview"), spoken, lang };
  }
  function storage(key) {
    return (area, name, value) => {
      try {
        const s = window[area];
        if (value === void 0) return JSON.parse(s.getItem(`${key}:${name}`) || "null");
        if (value === null) s.removeItem(`${key}:${name}`);
        else s.setItem(`${key}:${name}`, JSON.stringify(value));
      } catch {
        return null;
      }
      return null;
    };
  }

  // chatserver/static/shared/errors.js
  var ApiError = class extends Error {
    /**
     * @param {string} code the server's error code ("not_found", "disconnected", ...)
     * @param {string} message the server's sentence (English)
     * @param {number} status the HTTP status; 0 for socket and network errors
     * @param {Record<string, unknown>} [details] what the server names (a rule's index, a field, a count): screens point at it
     */
    constructor(code, message, status, details = {}) {
      super(message);
      this.code = code;
      this.status = status;
      this.details = details;
    }
  };

  // chatserver/static/shared/socket.js
  var SUBPROTOCOL = "chatserver.v1.json";
  var TICKET = "/api/ws/ticket";
  var PING_EVERY = 25e3;
  var ACK_TIMEOUT = 15e3;
  var FATAL = [4001, 4009];
  var ECHOES = { "chat.send": "chat.message" };
  var Socket = class {
    /** @param {SocketOptions} options */
    constructor({ token = null, headers = () => ({}), owner, onEvent, onState, onHello, onFatal, origin = location.origin, streamKey = "chat.stream", fatal = FATAL }) {
      this.token = token;
      this.headers = headers;
      this.origin = origin;
      this.onEvent = onEvent;
      this.onState = onState;
      this.onHello = onHello;
      this.onFatal = onFatal;
      this.streamKey = streamKey;
      this.fatal = new Set(fatal);
      this.ws = null;
      this.ready = false;
      this.stopped = false;
      this.attempt = 0;
      this.opening = false;
      this.opened = 0;
      this.nextId = 1;
      this.pending = /* @__PURE__ */ new Map();
      this.echoes = /* @__PURE__ */ new Map();
      this.outbox = [];
      this.retryTimer = void 0;
      this.pingTimer = void 0;
      const saved = (
        /** @type {StreamPosition | null} */
        readJSON(streamKey)
      );
      this.stream = saved && saved.owner === owner ? saved : { owner, seq: null, epoch: null };
      this._onOnline = () => this._reconnectNow();
      window.addEventListener("online", this._onOnline);
    }
    /**
     * A one-use ticket for /ws, asked with the token in a header (or, on our own pages, with
     * the session cookie and its CSRF token): the socket's URL, which proxies may log, then
     * carries the ticket (worth nothing in a minute), never the token. Another site's page
     * (the widget) asks across origins without cookies; the server answers its preflight.
     * @returns {Promise<string>}
     */
    async _ticket() {
      let response;
      const auth = this.token ? { Authorization: `Bearer ${this.token}` } : this.headers();
      try {
        response = await fetch(this.origin + TICKET, {
          method: "POST",
          headers: { Accept: "application/json", ...auth },
          credentials: this.origin === location.origin ? "same-origin" : "omit"
        });
      } catch (exc) {
        throw new ApiError("network", String(exc), 0);
      }
      const data = await response.json().catch(() => ({}));
      if (!response.ok) throw new ApiError(data.error?.code || "http_error", data.error?.message || "", response.status);
      return data.ticket;
    }
    /** @param {string} ticket */
    _url(ticket) {
      return `${this.origin.replace(/^http/, "ws")}/ws?ticket=${encodeURIComponent(ticket)}`;
    }
    start() {
      this.stopped = false;
      this._open();
    }
    stop() {
      this.stopped = true;
      window.removeEventListener("online", this._onOnline);
      clearTimeout(this.retryTimer);
      clearInterval(this.pingTimer);
      if (this.ws) this.ws.close(1e3, "bye");
      this._failPending(new ApiError("disconnected", "closed", 0), true);
    }
    /**
     * Send a message and resolve with its ack data (reject with ApiError on an error reply).
     * retry: resend after a reconnect if no ack came (safe for idempotent requests such as
     * chat.send with its client_msg_id); otherwise a drop rejects it.
     * @param {string} type
     * @param {Record<string, unknown>} [data]
     * @param {{retry?: boolean}} [options]
     * @returns {Promise<Record<string, any>>}
     */
    request(type, data = {}, { retry = false } = {}) {
      return new Promise((resolve, reject) => {
        const id = `w${this.nextId++}`;
        const entry = { resolve, reject, frame: { type, id, data }, retry };
        if (this.ready) this._transmit(entry);
        else if (retry) this.outbox.push(entry);
        else reject(new ApiError("disconnected", "not connected", 0));
      });
    }
    /** @param {Pending} entry */
    _transmit(entry) {
      this.pending.set(entry.frame.id, entry);
      const echo = ECHOES[entry.frame.type];
      if (echo) this.echoes.set(entry.frame.id, echo);
      clearTimeout(entry.timer);
      entry.timer = setTimeout(() => {
        if (this.pending.delete(entry.frame.id)) entry.reject(new ApiError("timeout", "no answer from the server", 0));
      }, ACK_TIMEOUT);
      this.ws?.send(JSON.stringify(entry.frame));
    }
    _open() {
      this.onState(this.attempt === 0 ? "connecting" : "reconnecting");
      this.opening = true;
      const attempt2 = ++this.opened;
      this._ticket().then(
        (ticket) => {
          if (attempt2 !== this.opened) return;
          this.opening = false;
          if (!this.stopped) this._connect(ticket);
        },
        (err) => {
          if (attempt2 !== this.opened) return;
          this.opening = false;
          if (this.stopped) return;
          if (err.status === 401 || String(err.code).startsWith("csrf_")) {
            this.stopped = true;
            this.onFatal(4001);
            return;
          }
          this._scheduleReconnect();
        }
      );
    }
    /** @param {string} ticket */
    _connect(ticket) {
      let ws;
      try {
        ws = new WebSocket(this._url(ticket), SUBPROTOCOL);
      } catch {
        this._scheduleReconnect();
        return;
      }
      this.ws = ws;
      ws.onopen = () => this._hello(ws);
      ws.onmessage = (msg) => this._receive(msg.data);
      ws.onclose = (ev) => this._closed(ws, ev.code);
    }
    /** @param {WebSocket} ws */
    _hello(ws) {
      const id = `h${this.nextId++}`;
      const data = this.stream.seq !== null ? { last_seq: this.stream.seq, epoch: this.stream.epoch } : {};
      this.pending.set(id, {
        frame: { type: "hello", id, data },
        retry: false,
        resolve: (answer) => {
          const ack = (
            /** @type {HelloAck} */
            answer
          );
          this.stream.epoch = ack.epoch;
          if (this.stream.seq === null || !ack.resumed) this.stream.seq = ack.seq;
          this._persist();
          this.ready = true;
          this.attempt = 0;
          this.onState("online");
          this.onHello(ack);
          const waiting = this.outbox.splice(0);
          for (const entry of waiting) this._transmit(entry);
          clearInterval(this.pingTimer);
          this.pingTimer = setInterval(() => this._ping(), PING_EVERY);
        },
        reject: () => ws.close(4e3, "hello refused")
      });
      ws.send(JSON.stringify({ type: "hello", id, data }));
    }
    _ping() {
      this.request("ping").catch(() => {
        if (this.ws) this.ws.close(4e3, "ping timeout");
      });
    }
    /** @param {string} raw */
    _receive(raw) {
      let frame;
      try {
        frame = JSON.parse(raw);
      } catch {
        return;
      }
      if (frame.type === "ack" || frame.type === "error") {
        const answer = (
          /** @type {AckFrame | ErrorFrame} */
          frame
        );
        const entry = this.pending.get(answer.id);
        const echo = this.echoes.get(answer.id);
        this.echoes.delete(answer.id);
        if (entry) {
          this.pending.delete(answer.id);
          clearTimeout(entry.timer);
          if (answer.type === "ack") entry.resolve(answer.data || {});
          else entry.reject(new ApiError(answer.error?.code || "error", answer.error?.message || "", 0, answer.error?.details || {}));
        }
        if (answer.type === "ack" && echo && typeof answer.data?.seq === "number") {
          if (this.stream.seq === null || answer.data.seq > this.stream.seq) {
            this.stream.seq = answer.data.seq;
            this._persist();
          }
          this.onEvent({ type: echo, seq: answer.data.seq, data: answer.data });
        }
        return;
      }
      const event = (
        /** @type {EventFrame} */
        frame
      );
      if (typeof event.seq === "number") {
        if (this.stream.seq !== null && event.seq <= this.stream.seq) return;
        this.stream.seq = event.seq;
        this._persist();
      }
      this.onEvent(event);
    }
    _persist() {
      try {
        sessionStorage.setItem(this.streamKey, JSON.stringify(this.stream));
      } catch {
      }
    }
    /**
     * @param {WebSocket} ws
     * @param {number} code
     */
    _closed(ws, code) {
      if (ws !== this.ws) return;
      this.ready = false;
      clearInterval(this.pingTimer);
      this.echoes.clear();
      this._failPending(new ApiError("disconnected", `connection closed (${code})`, 0), false);
      if (this.stopped) return;
      if (this.fatal.has(code)) {
        this.stopped = true;
        this.onFatal(code);
        return;
      }
      this.onState("reconnecting");
      this._scheduleReconnect();
    }
    /**
     * Reject what was in flight; keep retryable requests for the next connection.
     * @param {ApiError} err
     * @param {boolean} all
     */
    _failPending(err, all) {
      for (const [id, entry] of this.pending) {
        clearTimeout(entry.timer);
        if (entry.retry && !all) this.outbox.push(entry);
        else entry.reject(err);
        this.pending.delete(id);
      }
      if (all) for (const entry of this.outbox.splice(0)) entry.reject(err);
    }
    _scheduleReconnect() {
      clearTimeout(this.retryTimer);
      const base = Math.min(15e3, 500 * 2 ** this.attempt);
      const delay = base / 2 + Math.random() * (base / 2);
      this.attempt += 1;
      this.retryTimer = setTimeout(() => this._open(), delay);
    }
    _reconnectNow() {
      if (this.stopped || this.ready || this.opening) return;
      if (this.ws && this.ws.readyState === WebSocket.CONNECTING) return;
      clearTimeout(this.retryTimer);
      this._open();
    }
  };
  function readJSON(key) {
    try {
      return JSON.parse(sessionStorage.getItem(key) || "null");
    } catch {
      return null;
    }
  }

  // widget/src/look.js
  var luminance = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  function setLook(w, look) {
    const { S, v, page } = w;
    const host = v.host;
    const c = /^#[0-9a-f]{6}$/i.test(look.colour || "") ? look.colour : "#1f5fd1";
    const l = luminance(c);
    host.style.setProperty("--c", c);
    host.style.setProperty("--t", 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#fff" : "#000");
    host.setAttribute("data-pos", look.position === "left" ? "left" : "right");
    if ((look.language === "nl" || look.language === "en") && look.language !== page.lang) {
      page.lang = look.language;
      if (!page.spoken) try {
        localStorage.setItem(`${page.key}:lang`, page.lang);
      } catch {
      }
      w.relabel();
    }
    host.lang = page.lang;
    S.lt = look.launcher || "";
    v.launcherText.textContent = S.lt || "";
    v.launcherText.hidden = !S.lt;
    host.toggleAttribute("data-text", !!S.lt);
    setUnread(w, S.unread);
  }

  // widget/src/session.js
  var attempt = 0;
  var restarts = 0;
  var busyTries = 0;
  async function start(w) {
    const { S, v } = w;
    try {
      const data = await rest(w, "POST", "/api/livechat/visit", {
        site_id: w.page.site,
        token: S.token || void 0,
        url: location.href,
        referrer: document.referrer,
        language: navigator.languages ? navigator.languages.join(",") : navigator.language
      });
      if (data.token !== S.token) {
        S.token = data.token;
        w.store("localStorage", "token", S.token);
      }
      apply(w, data);
      if (!S.started) proactive(w, data.proactive || []);
      S.unavailable = S.busy = false;
      busyTries = 0;
      S.started = true;
      v.host.removeAttribute("data-refused");
      render(w);
      connect(w);
    } catch (err) {
      const e = (
        /** @type {RestError} */
        err
      );
      const status = e.status || 0;
      if (status === 429) {
        S.busy = true;
        render(w);
        const base = Math.min(6e4, 2e3 * 2 ** busyTries++);
        setTimeout(() => start(w), Math.max((e.retry || 0) * 1e3, base / 2 + Math.random() * (base / 2)));
        return;
      }
      S.busy = false;
      S.unavailable = true;
      if (!S.started) v.host.setAttribute("data-refused", "");
      render(w);
      if (!(status >= 400 && status < 500)) setTimeout(() => start(w), Math.min(6e4, 2e3 * 2 ** attempt++));
    }
  }
  function apply(w, data) {
    const { S } = w;
    setLook(w, data.look || {});
    S.conv = data.conversation || null;
    S.online = data.operators_online || 0;
    S.hours = data.hours;
    clearTimeout(S.opensTimer);
    const wait = data.hours && data.hours.opens_at && Date.parse(data.hours.opens_at) - Date.now();
    if (wait > 0 && wait < 2e9) S.opensTimer = setTimeout(() => {
      S.hours.open = true;
      render(w);
    }, wait);
    if (data.greeting) w.v.greeting.textContent = data.greeting;
    S.pre = data.prechat;
  }
  function connect(w) {
    const { S, t } = w;
    if (!S.token || w.sock && w.sock.token === S.token) return;
    if (w.sock) w.sock.stop();
    const sock = new Socket({
      token: S.token,
      owner: S.token,
      origin: w.page.origin,
      streamKey: `${w.page.key}:stream`,
      // 4001/4009 (or a 401 on the ticket): the token was refused, so a new visitor session;
      // 1008: this page is refused, later on.
      fatal: [4001, 4009, 1008],
      onEvent: (f) => receive(w, f),
      onState: (state) => {
        S.ready = state === "online";
        showStatus(w, state === "reconnecting" ? t("reconnecting") : "");
      },
      onHello: (ack) => {
        if (!S.loaded || ack.resync) loadHistory(w);
      },
      onFatal: (code) => {
        S.ready = false;
        w.sock = null;
        if (code !== 1008) return restart(w);
        S.unavailable = true;
        render(w);
      }
    });
    w.sock = sock;
    sock.start();
  }
  function receive(w, f) {
    const { S } = w;
    const d = f.data || {};
    if (f.type === "livechat.message") {
      addMessage(w, d.message);
      if (d.message && d.message.sender === "operator") showTyping(w, false);
    } else if (f.type === "livechat.updated") {
      S.conv = d.conversation || S.conv;
      render(w);
      showSeen(w);
    } else if (f.type === "livechat.read") {
      if (S.conv) S.conv.seen = true;
      showSeen(w);
    } else if (f.type === "livechat.typing") {
      showTyping(w, d.typing, d.name);
    } else if (f.type === "livechat.operators") {
      S.online = d.operators_online || 0;
      render(w);
    }
  }
  async function loadHistory(w) {
    const { S } = w;
    try {
      const data = await rest(w, "GET", "/api/livechat/visitor/conversation");
      if (data.conversation) S.conv = data.conversation;
      for (const m of data.messages || []) addMessage(w, m);
      render(w);
      showSeen(w);
    } catch (err) {
      if (
        /** @type {RestError} */
        err.status === 401
      ) return restart(w);
    } finally {
      S.loaded = true;
    }
  }
  function restart(w) {
    const { S } = w;
    if (restarts++ > 2) {
      S.unavailable = true;
      return render(w);
    }
    S.token = null;
    w.store("localStorage", "token", null);
    w.store("sessionStorage", "stream", null);
    const old = w.sock;
    w.sock = null;
    if (old) old.stop();
    start(w);
  }
  var glob = (p, s) => {
    let i = 0, j = 0, st = -1, m = 0;
    while (j < s.length) {
      if (p[i] === "*") st = i++, m = j;
      else if (i < p.length && p[i] === s[j]) i++, j++;
      else if (st >= 0) i = st + 1, j = ++m;
      else return false;
    }
    while (p[i] === "*") i++;
    return i === p.length;
  };
  function proactive(w, rules) {
    const { S, h } = w;
    const r = rules.find((x) => glob(x.url, location.pathname));
    if (r) setTimeout(() => {
      if (S.conv || S.closed || w.shown.size || S.unavailable) return;
      w.v.log.append(h("li", { class: "greet operator", "data-testid": "lc-proactive" }, h("p", { class: "body", text: r.message })));
      setOpen(w, true, false);
    }, r.seconds * 1e3);
  }
  function preview(w) {
    window.addEventListener("message", (e) => {
      if (e.source !== window.parent || e.origin !== location.origin || !e.data || !e.data.look) return;
      apply(w, e.data);
      w.S.started = true;
      render(w);
      setOpen(w, true, false);
    });
    window.parent.postMessage({ ready: true }, location.origin);
  }

  // widget/src/styles.js
  var CSS = `
:host{all:initial;--c:#1f5fd1;--t:#fff}
*{box-sizing:border-box;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji";color:#1d2430}
[hidden]{display:none!important}
:host([data-state="loading"]) .launcher,:host([data-state="loading"]) .panel,:host([data-refused]) .launcher,:host([data-refused]) .panel{display:none!important}
.launcher{position:fixed;right:20px;bottom:20px;min-width:60px;height:60px;border-radius:30px;border:0;background:var(--c);color:var(--t);gap:8px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483647;display:flex;align-items:center;justify-content:center}
.launcher:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.launcher svg{width:28px;height:28px;fill:var(--t)}
.launcher span.lt{color:var(--t);font-weight:600;font-size:15px;padding-right:6px}
:host([data-text]) .launcher{padding:0 18px}
:host([data-pos="left"]) .launcher,:host([data-pos="left"]) .panel{right:auto;left:20px}
:host([data-pos="left"]) .badge{right:auto;left:-4px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d92d20;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.panel{position:fixed;right:20px;bottom:92px;width:360px;max-width:calc(100vw - 24px);height:520px;max-height:calc(100vh - 110px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;z-index:2147483647}
header{background:var(--c);padding:12px 14px;display:flex;align-items:center;gap:8px}
header *{color:var(--t)}
h2{margin:0;font-size:16px;font-weight:600;flex:1}
.op{font-size:12px;display:block}
.x{background:none;border:0;font-size:22px;line-height:1;cursor:pointer;padding:2px 6px;border-radius:4px}
.status{padding:4px 14px;font-size:12px;background:#fff4e5}
.log{flex:1;overflow-y:auto;margin:0;padding:12px;list-style:none;background:#f6f7f9}
.log li{margin:6px 0;display:flex;flex-direction:column;align-items:flex-start}
.log li.visitor{align-items:flex-end}
.who{font-size:11px;color:#5b6472;margin:0 4px 2px}
.body{margin:0;padding:8px 11px;border-radius:12px;background:#fff;border:1px solid #e2e5ea;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere}
.visitor .body{background:var(--c);border-color:var(--c);color:var(--t)}
.system .body{background:none;border:0;color:#5b6472;font-style:italic}
.pending .body{opacity:.6}
.greet .body{background:#e8f0fe;border-color:#e8f0fe}
.visitor .body a{color:var(--t)}
.at,.seen{font-size:11px;color:#5b6472;margin:2px 4px 0}
.typing{min-height:20px;padding:0 14px;font-size:12px;color:#5b6472;font-style:italic;background:#f6f7f9}
form{display:flex;gap:6px;padding:10px;border-top:1px solid #e2e5ea;background:#fff}
form.leave{flex-direction:column;overflow-y:auto}
label{font-size:12px;color:#5b6472}
input,textarea{width:100%;padding:8px;border:1px solid #c4cad3;border-radius:8px;background:#fff;resize:none}
textarea.msg{flex:1;height:40px}
button.send{background:var(--c);color:var(--t);border:0;border-radius:8px;padding:0 14px;cursor:pointer;font-weight:600}
form.leave button.send{padding:10px}
.notice{margin:0;padding:10px 14px;background:#fff4e5;border-top:1px solid #f3d9a4}
.err{color:#b42318;font-size:12px;min-height:0;margin:0}
@media (max-width:480px){.panel,:host([data-pos]) .panel{top:0;right:0;bottom:0;left:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}}
form.rate{flex-direction:column;align-items:center;width:100%;border:1px solid #e2e5ea;border-radius:12px}
.rq{margin:0;text-align:center}
.stars{display:flex;gap:2px}
.star{background:none;border:0;font-size:26px;line-height:1;cursor:pointer;color:#c4cad3;padding:2px}
.star.on{color:#f5a623}
form.rate .send{padding:8px 14px}
.send:disabled{opacity:.5;cursor:default}
.tr{padding:2px 10px;background:#fff;border-top:1px solid #e2e5ea}
.tr form{padding:4px 0;border:0}
.link{background:none;border:0;color:#1f5fd1;text-decoration:underline;cursor:pointer;padding:4px 0;font-size:12px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.clip{background:none;border:1px solid #c4cad3;border-radius:8px;cursor:pointer;font-size:18px;padding:0 8px}
.body img{display:block;max-width:100%;height:auto;border-radius:8px}
.file{display:inline-flex;gap:6px;color:inherit}
.visitor .file small{color:#fff}
small{font-size:11px;color:#5b6472;white-space:nowrap}
`;

  // widget/src/view.js
  function buildView({ t, T, h }) {
    const host = h("div", { id: "chatserver-livechat", "data-state": "loading" });
    const root = host.attachShadow({ mode: "open" });
    const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    icon.setAttribute("viewBox", "0 0 24 24");
    icon.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z");
    icon.append(path);
    const badge = h("span", { class: "badge", "data-testid": "lc-badge", hidden: true });
    const launcherText = h("span", { class: "lt", "data-testid": "lc-launcher-text", hidden: true });
    const launcher = h(
      "button",
      { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "p", "aria-label": T("open"), "data-testid": "lc-launcher" },
      icon,
      launcherText,
      badge
    );
    const opName = h("span", { class: "op", "data-testid": "lc-operator", hidden: true });
    const closeBtn = h("button", { class: "x", type: "button", "aria-label": T("close"), "data-testid": "lc-close", text: "×" });
    const status = h("p", { class: "status", role: "status", "data-testid": "lc-status", hidden: true });
    const log = h("ol", { class: "log", "aria-live": "polite", "aria-label": T("messages"), "data-testid": "lc-messages" });
    const greeting = h("p", { class: "body", text: T("greeting") });
    const greet = h("li", { class: "greet operator", "data-testid": "lc-greeting" }, greeting);
    log.append(greet);
    const resolvedNote = h("li", { class: "system", "data-testid": "lc-resolved" }, h("p", { class: "body", text: T("resolved") }));
    const typing = h("div", { class: "typing", "aria-live": "polite", "data-testid": "lc-typing" });
    const seen = h("p", { class: "seen", "data-testid": "lc-seen" });
    const stars = [1, 2, 3, 4, 5].map(
      (n) => h("button", { type: "button", class: "star", "aria-label": T("stars", { n }), "aria-pressed": "false", "data-testid": `lc-rate-${n}`, text: "★" })
    );
    const rateText = h("textarea", { rows: 2, maxlength: 1e3, placeholder: T("rateComment"), "aria-label": T("rateComment"), "data-testid": "lc-rate-comment" });
    const rateErr = h("p", { class: "err", role: "alert" });
    const rateSend = h("button", { class: "send", type: "submit", disabled: true, "data-testid": "lc-rate-send", text: T("rateSend") });
    const rateForm = h(
      "form",
      { class: "rate", "data-testid": "lc-rate" },
      h("p", { class: "rq", text: t("rateQuestion") }),
      h("div", { class: "stars", role: "group", "aria-label": t("rateQuestion") }, stars),
      rateText,
      rateErr,
      rateSend
    );
    const rated = h("p", { class: "body", "data-testid": "lc-rated", text: T("rated") });
    const rateItem = h("li", { class: "system" }, rateForm, rated);
    const input = h("textarea", { class: "msg", id: "m", rows: 1, placeholder: T("placeholder"), maxlength: 4e3, "data-testid": "lc-input" });
    const sendErr = h("p", { class: "err", role: "alert", "data-testid": "lc-error" });
    const composer2 = h(
      "form",
      { "data-testid": "lc-composer", hidden: true },
      h("label", { class: "sr", for: "m", text: T("input") }),
      input,
      h("button", { class: "clip", type: "button", title: T("attach"), "aria-label": T("attach"), "data-testid": "lc-attach", onclick: () => picker.click() }, "📎"),
      h("button", { class: "send", type: "submit", "data-testid": "lc-send", text: T("send") })
    );
    const picker = h("input", { type: "file", class: "sr", tabindex: -1, "aria-hidden": "true", "data-testid": "lc-file-input" });
    composer2.append(picker);
    const field = (id, label, tag = "input", extra = {}) => {
      const f = h(tag, { id, name: id, "data-testid": `lc-leave-${id}`, ...extra });
      return [h("label", { for: id, text: label }), f];
    };
    const [lName, fName] = field("name", T("name"), "input", { autocomplete: "name" });
    const [lEmail, fEmail] = field("email", T("email"), "input", { type: "email", autocomplete: "email" });
    const [lPhone, fPhone] = field("phone", T("phone"), "input", { type: "tel", autocomplete: "tel" });
    const [lBody, fBody] = field("body", T("message"), "textarea", { rows: 3, maxlength: 4e3 });
    const leaveErr = h("p", { class: "err", role: "alert", "data-testid": "lc-leave-error" });
    const leaveSend = h("button", { class: "send", type: "submit", "data-testid": "lc-leave-send", text: T("leave") });
    const leaveForm2 = h(
      "form",
      { class: "leave", "data-testid": "lc-leave-form", hidden: true, novalidate: true },
      lName,
      fName,
      lEmail,
      fEmail,
      lPhone,
      fPhone,
      lBody,
      fBody,
      leaveErr,
      leaveSend
    );
    const asked = { name: [lName, fName], email: [lEmail, fEmail], phone: [lPhone, fPhone] };
    const notice = h("p", { class: "notice", role: "status", "data-testid": "lc-notice", hidden: true });
    const trEmail = h("input", { type: "email", id: "te", autocomplete: "email", maxlength: 254, "data-testid": "lc-transcript-email" });
    const trSend = h("button", { class: "send", type: "submit", "data-testid": "lc-transcript-send", text: T("send") });
    const trForm = h("form", { hidden: true, novalidate: true, "data-testid": "lc-transcript-form" }, h("label", { class: "sr", for: "te", text: T("email") }), trEmail, trSend);
    const trMsg = h("p", { class: "err", role: "status", "data-testid": "lc-transcript-status" });
    const trBtn = h("button", { class: "link", type: "button", "aria-expanded": "false", "data-testid": "lc-transcript", text: T("transcript") });
    const trBar = h("div", { class: "tr", hidden: true }, trBtn, trForm, trMsg);
    const panel = h(
      "div",
      { class: "panel", id: "p", role: "dialog", "aria-label": T("title"), "data-testid": "lc-panel", hidden: true },
      h("header", {}, h("div", { style: "flex:1" }, h("h2", { text: T("title") }), opName), closeBtn),
      status,
      log,
      typing,
      notice,
      sendErr,
      trBar,
      composer2,
      leaveForm2
    );
    root.append(h("style", { text: CSS }), launcher, panel);
    return {
      host,
      root,
      launcher,
      launcherText,
      badge,
      panel,
      opName,
      closeBtn,
      status,
      log,
      greeting,
      resolvedNote,
      typing,
      seen,
      stars,
      rateText,
      rateErr,
      rateSend,
      rateForm,
      rated,
      rateItem,
      input,
      sendErr,
      composer: composer2,
      picker,
      lBody,
      fName,
      fEmail,
      fPhone,
      fBody,
      leaveErr,
      leaveSend,
      leaveForm: leaveForm2,
      asked,
      notice,
      trEmail,
      trSend,
      trForm,
      trMsg,
      trBtn,
      trBar
    };
  }

  // widget/src/widget.js
  /*! chatserver live-chat widget. Plain JavaScript, no dependency, one file.
   * Embed: <script async src="https://HOST/widget.js" data-site="ID"><\/script>
   * (/widget.js is a loader that adds this file from /widget/<hash of content>.js.)
   * Renders in a Shadow DOM; everything people write is set with textContent, never as HTML.
   */
  (() => {
    "use strict";
    const me = ownScript();
    const win = (
      /** @type {Window & {__chatserverWidget?: boolean}} */
      window
    );
    if (!me || win.__chatserverWidget) return;
    win.__chatserverWidget = true;
    const page = readPage(me);
    const store = storage(page.key);
    const { t, h, relabel, T } = labeller(page);
    const w = { page, store, t, h, relabel, v: buildView({ t, T, h, relabel }), S: newState(store), shown: /* @__PURE__ */ new Map(), sock: null };
    const { S, v } = w;
    rating(w);
    leaveForm(w);
    transcript(w);
    composer(w);
    v.launcher.addEventListener("click", () => setOpen(w, !S.open));
    v.closeBtn.addEventListener("click", () => setOpen(w, !(S.closed = true)));
    v.root.addEventListener("keydown", (ev) => {
      const e = (
        /** @type {KeyboardEvent} */
        ev
      );
      if (e.key === "Escape" && S.open) {
        e.stopPropagation();
        setOpen(w, !(S.closed = true));
      }
    });
    document.addEventListener("visibilitychange", () => {
      if (!document.hidden && S.open) setUnread(w, 0);
    });
    const mount = () => {
      document.body.append(v.host);
      if (page.preview) return preview(w);
      setOpen(w, S.open, false);
      start(w);
    };
    if (document.body) mount();
    else document.addEventListener("DOMContentLoaded", mount);
  })();
})();
