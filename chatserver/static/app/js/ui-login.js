// @ts-check
// The login form: organisation, username, password. The session is an httpOnly cookie the server sets (api.js).
import { login } from "../../shared/api.js";
import { $ } from "../../shared/dom.js";
import { errorText, t } from "./i18n.js";

/** @param {(user: import("./store.js").Me, options: {fromLogin: boolean}) => void} onLoggedIn */
export function showLogin(onLoggedIn) {
  $("app-view").hidden = true;
  $("login-view").hidden = false;
  const form = $("login-form");
  const error = $("login-error");
  error.textContent = "";
  form.onsubmit = async (/** @type {SubmitEvent} */ ev) => {
    ev.preventDefault();
    const tenant = $("login-tenant").value.trim();
    const username = $("login-username").value.trim();
    const password = $("login-password").value;
    if (!tenant || !username || !password) {
      error.textContent = t("fillAllFields");
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const user = await login(tenant, username, password);
      $("login-password").value = "";
      onLoggedIn(user, { fromLogin: true });
    } catch (err) {
      error.textContent = t("loginFailed", { message: errorText(err) });
    } finally {
      button.disabled = false;
    }
  };
  (($("login-tenant").value && $("login-username")) || $("login-tenant")).focus();
}
