// Plain JavaScript: used by server.js before the app bundle is built or loaded.
import fs from "node:fs";
import path from "node:path";

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/**
 * Takes an exclusive lock on the data directory, or returns the pid that holds it.
 * A lock left by a dead process is taken over.
 * @returns {{ ok: true, release: () => void } | { ok: false, holderPid: number, lockFile: string }}
 */
export function acquireDataLock(dataDir) {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, "masar.pid");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockFile, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      const release = () => {
        try {
          if (fs.readFileSync(lockFile, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockFile);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return { ok: true, release };
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      const holderPid = Number.parseInt(fs.readFileSync(lockFile, "utf8").trim(), 10);
      if (Number.isInteger(holderPid) && holderPid !== process.pid && isAlive(holderPid)) {
        return { ok: false, holderPid, lockFile };
      }
      fs.rmSync(lockFile, { force: true }); // stale: its process is gone
    }
  }
  throw new Error(`Could not lock ${lockFile}`);
}
