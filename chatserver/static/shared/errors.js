// @ts-check
// The one error type of REST calls and socket requests: screens map it to a sentence with
// the i18n core's error mapper (by code, the details' reason or field, else the HTTP status).

export class ApiError extends Error {
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
}
