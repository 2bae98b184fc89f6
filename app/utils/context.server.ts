import { createContext } from "react-router";
import type { MongoAbility } from "@casl/ability";

/** Set by the Express layer for every request (server/app.ts). */
export interface RequestInfo {
  requestId: string;
  nonce: string;
  ip: string;
}
export const requestContext = createContext<RequestInfo>();

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  locale: "ar" | "en" | null;
  isPlatformAdmin: boolean;
  sessionHash: string;
  currentOrgId: string | null;
}
/** Set by the session middleware; null when nobody is signed in. */
export const userContext = createContext<SessionUser | null>(null);

export type AppAbility = MongoAbility;
