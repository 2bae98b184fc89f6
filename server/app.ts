import crypto from "node:crypto";
import path from "node:path";
import type { Server } from "node:http";
import { createRequestHandler } from "@react-router/express";
import express from "express";
import { RouterContextProvider } from "react-router";
import { requestContext } from "~/utils/context.server";
import { env } from "~/utils/env.server";
import { log } from "~/utils/log.server";
import { bootstrap, type Booted } from "./bootstrap";
import { portalBodyLimit } from "./portal-body-limit";

/** Content-Security-Policy with a fresh nonce per response; styles inline for Mantine. */
export function securityHeaders(nonce: string, secure: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
  return {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    ...(secure ? { "Strict-Transport-Security": "max-age=31536000" } : {}),
  };
}

export interface ServeOptions {
  viteMiddleware?: express.RequestHandler;
  /** The built browser assets (<build>/client); server.js passes it, it knows the build directory. */
  clientDir?: string;
  build?: () => Promise<unknown>;
}

export function createExpressApp(options: ServeOptions = {}) {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use((req, res, next) => {
    const nonce = crypto.randomBytes(16).toString("base64");
    res.locals.nonce = nonce;
    res.locals.requestId = (req.get("x-request-id") ?? "").slice(0, 64) || crypto.randomUUID();
    res.set(securityHeaders(nonce, env().secureCookies));
    res.set("X-Request-Id", res.locals.requestId);
    next();
  });
  app.use("/o/", portalBodyLimit);
  if (options.viteMiddleware) app.use(options.viteMiddleware);
  else {
    const client = options.clientDir ?? path.resolve("build/client");
    app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y", index: false }));
    app.use(express.static(client, { maxAge: "1h", index: false }));
  }
  app.use(
    createRequestHandler({
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      build: (options.build ?? (() => import("virtual:react-router/server-build"))) as any,
      mode: env().NODE_ENV === "development" ? "development" : "production",
      getLoadContext(req, res) {
        const context = new RouterContextProvider();
        context.set(requestContext, { nonce: res.locals.nonce, requestId: res.locals.requestId, ip: req.ip ?? "" });
        return context;
      },
    }),
  );
  return app;
}

/** Boots the database and plugins, then serves HTTP. Called by server.js. */
export async function start(options: ServeOptions = {}): Promise<{ server: Server; booted: Booted }> {
  const booted = await bootstrap();
  const app = createExpressApp(options);
  const { PORT, HOST } = env();
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(PORT, HOST, () => resolve(s));
    s.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EADDRINUSE") reject(new Error(`Port ${PORT} is already in use. Stop the other program or set PORT.`));
      else reject(error);
    });
  });
  log.info(`Masar is ready on http://localhost:${PORT}`);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    server.close();
    server.closeAllConnections();
    await booted.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  return { server, booted };
}
