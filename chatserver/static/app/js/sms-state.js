// @ts-check
// What the SMS screens know about the user and the organisation (GET /api/sms/config),
// apart from sms.js so the screens can read it without importing the router.
import { state } from "./store.js";

/**
 * A route of the SMS section: #/sms/NAME/ID?PARAMS.
 * @typedef {{name: string, id: string | null, params: URLSearchParams}} SmsRoute
 */
/**
 * An SMS screen (a module sms.js loads when it is first opened).
 * @typedef {object} SmsScreen
 * @property {(box: HTMLElement, route: SmsRoute) => unknown} render
 * @property {() => void} [leave]
 * @property {(message: Record<string, any>) => void} [onMessage] an sms.message event's message
 * @property {(data: Record<string, any>) => void} [onRecipient] an sms.recipient event's data
 */
/**
 * @typedef {object} SmsConfig
 * @property {boolean} loaded
 * @property {boolean} admin
 * @property {boolean} key_user
 * @property {boolean} allow_long
 * @property {number} max_single
 * @property {number} recipient_limit
 * @property {string} default_sender
 * @property {string | null} own_number
 * @property {number | null} balance
 * @property {string} [default_country] the country of numbers typed without one (NL)
 */
/** @type {SmsConfig} */
export const smsConfig = {
  loaded: false,
  admin: false,
  key_user: false,
  allow_long: false,
  max_single: 140,
  recipient_limit: 100,
  default_sender: "",
  own_number: null,
  balance: null,
};

export function isAdmin() {
  return smsConfig.loaded ? smsConfig.admin : state.settings["sms.admin"] === true;
}

/** A key-user may add credits; without the config nobody is shown the form (the server decides). */
export function isKeyUser() {
  return smsConfig.loaded && smsConfig.key_user === true;
}
