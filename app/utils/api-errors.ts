// The API's stable error codes and their HTTP statuses. Clients branch on `code`; the
// message is for people and follows the caller's language. Shared by the server plumbing
// (api.server.ts) and the OpenAPI document (openapi.ts).
export const API_ERROR_CODES = [
  "unauthorized",
  "forbidden",
  "not_found",
  "method_not_allowed",
  "validation_failed",
  "conflict",
  "rate_limited",
  "service_unavailable",
  "internal",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const API_ERROR_STATUS: Record<ApiErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  validation_failed: 400,
  conflict: 409,
  rate_limited: 429,
  service_unavailable: 503,
  internal: 500,
};
