/**
 * Prints the EVM floor table of docs/gas.md from bench/gas.json: `npm run gas:floor`
 * (`tsx scripts/gas-floor.ts`; run `npm run bench` first for fresh figures).
 *
 * `npm run bench` traces every measured operation (debug_traceTransaction on the in-process chain)
 * and stores its floor, with what the floor is made of, next to its gas in bench/gas.json; how the
 * floor is counted is in scripts/lib/gas-floor.ts. This script only formats those figures: one row
 * per operation with its gas, its plain baseline, its floor and the distance to the floor, then the
 * parts of each floor (calldata, fresh / modified / cleared slots, creations).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CLEARED_SLOT,
  CREATION,
  CODE_DEPOSIT_PER_BYTE,
  explainedOf,
  FRESH_SLOT,
  INTRINSIC,
  MODIFIED_SLOT,
  type Floor,
} from "./lib/gas-floor.ts";

interface Row {
  gas: number;
  baseline: number | null;
  floor?: number;
  trace?: Floor;
}

const here = dirname(fileURLToPath(import.meta.url));
const { operations } = JSON.parse(readFileSync(join(here, "..", "bench", "gas.json"), "utf8")) as {
  operations: Record<string, Row>;
};

const n = (x: number): string => Math.round(x).toLocaleString("en-US");
const lines: string[] = [];
lines.push("| operation | gas | baseline | floor | distance | distance % of gas |");
lines.push("| --- | ---: | ---: | ---: | ---: | ---: |");
for (const [key, r] of Object.entries(operations)) {
  if (r.floor === undefined) continue;
  const distance = r.gas - r.floor;
  lines.push(
    `| \`${key}\` | ${n(r.gas)} | ${r.baseline === null ? "—" : n(r.baseline)} | ${n(r.floor)} | ${n(distance)} | ${
      r.gas > 0 ? `${((distance / r.gas) * 100).toFixed(0)}%` : "—"
    } |`,
  );
}
lines.push("");
lines.push(
  "| operation (measured transaction) | gas | floor | calldata bytes (gas) | fresh slots | modified | cleared | restored | creations (code bytes) | logs (gas) | cold reads | cold accounts | ETH sends | ecrecover | execution |",
);
lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const [key, r] of Object.entries(operations)) {
  const p = r.trace;
  if (p === undefined) continue;
  const b = p.beyond;
  // The measured transaction's own figures (a batch row's are the whole batch; an overhead row's
  // are the transfer with recording on): what is left after the floor and the counted costs.
  const execution = n(p.gasUsed - p.floor - explainedOf(b));
  lines.push(
    `| \`${key}\` | ${n(p.gasUsed)} | ${n(p.floor)} | ${p.calldataBytes} (${n(p.calldataGas)}) | ${p.freshSlots} | ${p.modifiedSlots} | ${p.clearedSlots} | ${p.restoredSlots} | ${p.creations}${
      p.creations > 0 ? ` (${n(p.codeBytes)})` : ""
    } | ${p.logs} (${n(b.logGas)}) | ${b.coldSlotReads} | ${b.coldAccounts} | ${b.valueTransfers} | ${b.ecrecovers} | ${execution} |`,
  );
}
console.log(lines.join("\n"));
console.log(
  `\nfloor = ${n(INTRINSIC)} + calldata + ${n(FRESH_SLOT)} x fresh + ${n(MODIFIED_SLOT)} x modified + ${n(CLEARED_SLOT)} x cleared + ${n(CREATION)} x creations + ${CODE_DEPOSIT_PER_BYTE} x code bytes`,
);
