import type { RequestHandler } from "express";
import { PORTAL_MAX_BODY_BYTES } from "~/portal/codes";

/**
 * The public portal (/o/…, ADR 010) takes posts from anyone: a body larger than its forms
 * ever need, or one without a declared length (browsers always declare it for forms), is
 * refused with 413 before the CSRF check or a route reads it into memory.
 */
export const portalBodyLimit: RequestHandler = (req, res, next) => {
  if (req.method === "GET" || req.method === "HEAD") return next();
  const length = Number(req.get("content-length") ?? "NaN");
  if (!Number.isFinite(length) || length > PORTAL_MAX_BODY_BYTES) {
    res.status(413).set("Connection", "close").type("text/plain").send("Payload Too Large");
    return;
  }
  next();
};
