// npm run audit:verify — checks every audit chain (the platform chain and each
// organisation's) as the database owner, beneath the application role.
// Exit codes: 0 every chain intact, 1 a chain is broken, 2 the check could not run.
import { ownerConnection } from "../server/owner-connection";
import { verifyAllChains, type ChainBreak, type ChainReport } from "~/models/audit.server";
import { createDb } from "~/utils/db.server";
import { setLogLevel } from "~/utils/log.server";

const REASONS: Record<ChainBreak["reason"], string> = {
  hash_mismatch: "the entry's content does not match its hash (edited)",
  prev_hash_mismatch: "the entry does not link to the one before it (edited or inserted)",
  sequence_gap: "entries are missing before this one (deleted)",
};

function formatReport(report: ChainReport): string {
  const name = report.slug ?? "(platform)";
  if (!report.broken) return `${name}: ok (${report.entries} ${report.entries === 1 ? "entry" : "entries"})`;
  const { seq, id, reason } = report.broken;
  return `${name}: BROKEN at seq ${seq} (id ${id}): ${reason} — ${REASONS[reason]}; ${report.entries} entries before it are intact`;
}

async function main(): Promise<number> {
  setLogLevel("warn");
  const owner = await ownerConnection();
  const { db } = createDb(owner.url, { max: 1 });
  try {
    console.log(`Verifying audit chains (${owner.where})`);
    const reports = await verifyAllChains(db);
    for (const report of reports) console.log(formatReport(report));
    const broken = reports.filter((r) => r.broken).length;
    console.log(broken ? `${broken} of ${reports.length} chains are BROKEN.` : `All ${reports.length} chains are intact.`);
    return broken ? 1 : 0;
  } finally {
    await db.destroy();
    await owner.release();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`audit:verify could not run: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  },
);
