// @ts-check
// Incoming contact requests: Accept, Decline, or Decline and block.
import { ApiError, post } from "../../shared/api.js";
import { $, announce, el, redraw, toast } from "../../shared/dom.js";
import { errorText, t } from "./i18n.js";
import { dismiss } from "../../shared/notify.js";
import { emit, on, state } from "./store.js";
import { focusPending, focusWhenShown } from "./ui-focus.js";

/**
 * @param {import("./store.js").ContactRequest} req
 * @param {"accept" | "decline" | "block"} verb
 */
async function answer(req, verb) {
  try {
    await post(`/api/contact-requests/${req.id}/${verb}`);
  } catch (err) {
    toast(errorText(err));
    if (!(err instanceof ApiError && err.code === "already_answered")) return;
  }
  state.incoming.delete(req.id);
  dismiss(`request-${req.id}`);
  emit("requests");
  // The answered request went from under the focus: on to the new contact (drawn once the
  // list is reloaded), else the next request, else the add button.
  const next = state.incoming.values().next().value;
  if (verb === "accept") focusWhenShown(`contact-${req.from.id}`);
  else focusWhenShown(next ? `request-accept-${next.from.id}` : null, "add-contact-open");
  if (verb === "accept") emit("reload-contacts");
}

export function renderRequests() {
  redraw($("request-list"), fillRequests);
  $("requests").hidden = state.incoming.size === 0;
  focusPending();
}

/** @param {HTMLElement} list */
function fillRequests(list) {
  for (const req of state.incoming.values()) {
    const name = req.from.name;
    const textId = `request-text-${req.id}`;
    const id = req.from.id;
    // The group is inside the item: a <li> with another role is no list item to a screen reader.
    list.append(
      el(
        "li",
        { class: "request", dataset: { testid: `request-${id}` } },
        el(
          "div",
          { role: "group", "aria-labelledby": textId },
          el("p", { id: textId, text: t("wantsToAdd", { name }) }),
          el(
            "div",
            { class: "row" },
            el("button", { type: "button", dataset: { testid: `request-accept-${id}` }, text: t("accept"), onclick: () => answer(req, "accept") }),
            el("button", { type: "button", dataset: { testid: `request-decline-${id}` }, text: t("decline"), onclick: () => answer(req, "decline") }),
            el("button", { type: "button", class: "danger", dataset: { testid: `request-block-${id}` }, text: t("declineBlock"), onclick: () => answer(req, "block") }),
          ),
        ),
      ),
    );
  }
}

export function initRequests() {
  on("requests", renderRequests);
  on("lang", renderRequests);
  on("requests-new", (req) => announce(t("wantsToAdd", { name: req.from.name })));
}
