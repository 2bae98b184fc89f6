export function acquireDataLock(
  dataDir: string,
): { ok: true; release: () => void } | { ok: false; holderPid: number; lockFile: string };
