/**
 * OpenZeppelin's error declarations, read from its Solidity sources in node_modules (not restated
 * here), so tests can decode reverts exactly as a tool holding OpenZeppelin's ABI would.
 * The module has no side effects beyond reading files on first use (mocha loads every file under test/).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Interface, isError } from "ethers";

const OZ_ROOT = join(
  import.meta.dirname,
  "..",
  "..",
  "node_modules",
  "@openzeppelin",
  "contracts",
);
const ELEMENTARY = /^(address|bool|string|bytes\d*|u?int\d*)(\[\])?$/;

let cache: Map<string, string> | undefined;

/** Every `error Name(...)` declared in OpenZeppelin's contracts: canonical signature by name. */
export function openZeppelinErrors(): Map<string, string> {
  if (cache !== undefined) return cache;
  const found = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".sol")) {
        const source = readFileSync(path, "utf8");
        for (const match of source.matchAll(
          /\berror\s+(\w+)\s*\(([^)]*)\)\s*;/g,
        )) {
          const params = match[2]
            .split(",")
            .map((p) => p.trim())
            .filter((p) => p.length > 0)
            .map((p) => {
              const type = p.split(/\s+/)[0];
              return ELEMENTARY.test(type) ? type : "uint8"; // enums (ProposalState) are uint8 in the ABI
            });
          found.set(match[1], `${match[1]}(${params.join(",")})`);
        }
      }
    }
  };
  walk(OZ_ROOT);
  cache = found;
  return found;
}

/** An Interface holding only OpenZeppelin's declaration of the error `name`. */
export function openZeppelinErrorInterface(name: string): Interface {
  const signature = openZeppelinErrors().get(name);
  if (signature === undefined)
    throw new Error(`OpenZeppelin declares no error ${name}`);
  return new Interface([`error ${signature}`]);
}

/** The revert data of a call or static call that must revert. */
export async function revertData(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (isError(error, "CALL_EXCEPTION") && typeof error.data === "string")
      return error.data;
    // Hardhat's provider throws its own error type for a call that reverts, with the data attached.
    if (
      typeof error === "object" &&
      error !== null &&
      "data" in error &&
      typeof error.data === "string"
    ) {
      return error.data;
    }
    throw error;
  }
  throw new Error("the call did not revert");
}
