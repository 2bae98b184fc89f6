import { createContext, useContext } from "react";

// The per-request CSP nonce; only the server render has one (browsers hide it from the DOM).
export const NonceContext = createContext<string | undefined>(undefined);
export const useNonce = () => useContext(NonceContext);
