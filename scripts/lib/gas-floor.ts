/**
 * The EVM floor of a mined transaction: what any implementation that leaves the chain in the same
 * state after the same call must pay, whatever its code. Used by scripts/bench.ts for every
 * benchmarked operation (written to bench/gas.json) and explained in docs/gas.md.
 *
 *   floor = 21,000 intrinsic
 *         + calldata: 4 per zero byte, 16 per non-zero byte of the transaction's real input (EIP-2028)
 *         + 22,100 per fresh slot      (zero before the transaction, non-zero after: 20,000 + 2,100 cold access)
 *         +  5,000 per modified slot   (non-zero before and after, a different value: 2,900 + 2,100 cold access)
 *         +    200 per cleared slot    (non-zero to zero: 5,000, less the 4,800 refund)
 *         + 32,000 per contract created, plus 200 per byte of code deposited
 *
 * Which slots a transaction wrote comes from its trace (`debug_traceTransaction`, default struct
 * logger): every SSTORE, attributed to the account whose storage it is (the callee of a CALL, the
 * caller's own storage through a DELEGATECALL). Whether a slot counts as fresh, modified, cleared or
 * not at all is decided by its value before and after the transaction (`eth_getStorageAt` at the
 * previous block and at the transaction's block; the in-process chain mines one transaction per
 * block). A slot written and set back within the transaction (a reentrancy flag) costs nothing in
 * the floor: the same end state needs no write at all.
 *
 * The refund of a cleared slot is subtracted whole (the EVM caps refunds at a fifth of the gas
 * used), which can only lower the floor: it stays a lower bound.
 *
 * Not in the floor, though real, and counted from the same trace as `beyond`: logs (375 + 375 per
 * topic + 8 per byte), cold reads of slots the transaction does not write (2,100 each), cold
 * accounts (2,600 each: every contract called, a clone's implementation), ETH sent by a contract
 * (9,000 less the unused 2,300 stipend) and ecrecover (3,000). What remains is execution: warm
 * accesses, memory, hashing, ABI encoding and decoding, jumps. docs/gas.md gives, per operation,
 * the floor, the distance to it and where the distance goes.
 */

export interface FloorParts {
  /** Bytes of the transaction's input. */
  calldataBytes: number;
  /** Calldata gas (4 / 16 per zero / non-zero byte). */
  calldataGas: number;
  freshSlots: number;
  modifiedSlots: number;
  clearedSlots: number;
  /** Slots written during the transaction that hold their old value at its end. */
  restoredSlots: number;
  creations: number;
  codeBytes: number;
  logs: number;
  /** Beyond the floor, what the trace shows the distance is made of (see {distanceOf}). */
  beyond: Beyond;
}

/**
 * Costs that are real but not part of the floor: an implementation could avoid or shrink them (a
 * different storage layout, fewer contracts, fewer events), so they measure design, not the EVM.
 */
export interface Beyond {
  /** LOG0..LOG4 gas (375 + 375 per topic + 8 per data byte, and the memory they read). */
  logGas: number;
  /** Slots read cold (2,100 each) and never written by the transaction. */
  coldSlotReads: number;
  /** Accounts reached cold (2,600 each, 2,500 more than warm): contracts called, clone implementations. */
  coldAccounts: number;
  /** Calls carrying ETH (9,000 each, of which the callee's unused 2,300 stipend comes back). */
  valueTransfers: number;
  /** ecrecover precompile calls (3,000 each). */
  ecrecovers: number;
}

export interface Floor extends FloorParts {
  gasUsed: number;
  floor: number;
}

export const INTRINSIC = 21_000;
export const FRESH_SLOT = 22_100;
export const MODIFIED_SLOT = 5_000;
export const CLEARED_SLOT = 200;
export const CREATION = 32_000;
export const CODE_DEPOSIT_PER_BYTE = 200;

interface StructLog {
  op: string;
  depth: number;
  gasCost?: number;
  stack?: string[];
}

interface RpcProvider {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

const CALLS_INTO = new Set(["CALL", "STATICCALL"]);
const CALLS_KEEPING_STORAGE = new Set(["DELEGATECALL", "CALLCODE"]);
const CREATES = new Set(["CREATE", "CREATE2"]);

const word = (hex: string): bigint => BigInt(hex.startsWith("0x") ? hex : `0x${hex}`);
const address = (hex: string): string => `0x${word(hex).toString(16).padStart(40, "0").slice(-40)}`;
/** The n-th stack item from the top (0 = top). Struct logs list the stack bottom first. */
const fromTop = (stack: string[], n: number): string => stack[stack.length - 1 - n];

/** The part of the distance to the floor that {Beyond} accounts for, in gas. */
export function explainedOf(b: Beyond): number {
  return b.logGas + b.coldSlotReads * 2_100 + b.coldAccounts * 2_500 + b.valueTransfers * 6_700 + b.ecrecovers * 3_000;
}

export function floorOf(parts: FloorParts): number {
  return (
    INTRINSIC +
    parts.calldataGas +
    parts.freshSlots * FRESH_SLOT +
    parts.modifiedSlots * MODIFIED_SLOT +
    parts.clearedSlots * CLEARED_SLOT +
    parts.creations * CREATION +
    parts.codeBytes * CODE_DEPOSIT_PER_BYTE
  );
}

/** Traces transaction `hash` and returns its floor and what the floor is made of. */
export async function traceFloor(provider: RpcProvider, hash: string): Promise<Floor> {
  const tx = (await provider.request({ method: "eth_getTransactionByHash", params: [hash] })) as {
    input: string;
    from: string;
    to: string | null;
    blockNumber: string;
  } | null;
  const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
    gasUsed: string;
    transactionIndex: string;
    contractAddress: string | null;
  } | null;
  if (tx === null || receipt === null) throw new Error(`gas floor: transaction ${hash} not found`);
  if (BigInt(receipt.transactionIndex) !== 0n) {
    throw new Error(`gas floor: ${hash} is not alone in its block; its slots' prior values cannot be read`);
  }

  const input = tx.input.startsWith("0x") ? tx.input.slice(2) : tx.input;
  let zeros = 0;
  for (let i = 0; i < input.length; i += 2) if (input.slice(i, i + 2) === "00") zeros++;
  const calldataBytes = input.length / 2;
  const calldataGas = zeros * 4 + (calldataBytes - zeros) * 16;

  const trace = (await provider.request({
    method: "debug_traceTransaction",
    params: [hash, { disableMemory: true, disableStorage: true }],
  })) as { structLogs: StructLog[] };

  // Whose storage each call frame writes: the callee of a CALL/STATICCALL, the caller's own through
  // DELEGATECALL/CALLCODE. A CREATE/CREATE2 frame learns its address when it returns (the parent's
  // next step has it on top of the stack); its writes are filed under a placeholder until then.
  const root = tx.to ?? receipt.contractAddress;
  if (root === null) throw new Error(`gas floor: ${hash} has no target`);
  const frames: string[] = [address(root)];
  const writes: { account: string; slot: bigint }[] = [];
  const creates: { depth: number; placeholder: string }[] = [];
  const created: string[] = [];
  let logs = 0;
  let pending: string | null = null;
  const steps = trace.structLogs;
  const warmAccounts = new Set<string>([address(tx.from), address(root)]);
  const isPrecompile = (a: string): boolean => BigInt(a) >= 1n && BigInt(a) <= 0x11n;
  const touchedSlots = new Set<string>();
  const reads: string[] = [];
  const beyond: Beyond = { logGas: 0, coldSlotReads: 0, coldAccounts: 0, valueTransfers: 0, ecrecovers: 0 };
  const touchAccount = (a: string): void => {
    if (isPrecompile(a) || warmAccounts.has(a)) return;
    warmAccounts.add(a);
    beyond.coldAccounts++;
  };
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i];
    const stack = step.stack ?? [];
    while (frames.length > step.depth) frames.pop();
    if (frames.length < step.depth) frames.push(pending ?? "unknown");
    pending = null;
    const current = frames[frames.length - 1];

    if (CALLS_INTO.has(step.op) || CALLS_KEEPING_STORAGE.has(step.op)) {
      const target = address(fromTop(stack, 1));
      touchAccount(target);
      if (BigInt(target) === 1n) beyond.ecrecovers++;
      if ((step.op === "CALL" || step.op === "CALLCODE") && word(fromTop(stack, 2)) !== 0n) beyond.valueTransfers++;
    } else if (["BALANCE", "EXTCODESIZE", "EXTCODEHASH", "EXTCODECOPY"].includes(step.op)) {
      touchAccount(address(fromTop(stack, 0)));
    }
    if (CALLS_INTO.has(step.op)) pending = address(fromTop(stack, 1));
    else if (CALLS_KEEPING_STORAGE.has(step.op)) pending = current;
    else if (CREATES.has(step.op)) {
      pending = `create#${creates.length + created.length}`;
      creates.push({ depth: step.depth, placeholder: pending });
    } else if (step.op === "SSTORE") {
      const slot = word(fromTop(stack, 0));
      writes.push({ account: current, slot });
      touchedSlots.add(`${current}:${slot}`);
    } else if (step.op === "SLOAD") {
      const key = `${current}:${word(fromTop(stack, 0))}`;
      if (!touchedSlots.has(key)) reads.push(key); // first access: cold
      touchedSlots.add(key);
    } else if (step.op.startsWith("LOG")) {
      logs++;
      beyond.logGas += step.gasCost ?? 0;
    }

    const next = steps[i + 1];
    const open = creates[creates.length - 1];
    if (next !== undefined && open !== undefined && step.depth > open.depth && next.depth === open.depth) {
      creates.pop();
      const account = address(fromTop(next.stack ?? [], 0));
      if (BigInt(account) !== 0n) {
        created.push(account);
        warmAccounts.add(account);
      }
      for (const w of writes) if (w.account === open.placeholder) w.account = account;
    }
  }

  const block = BigInt(tx.blockNumber);
  const before = `0x${(block - 1n).toString(16)}`;
  const after = `0x${block.toString(16)}`;
  const storageAt = async (account: string, slot: bigint, tag: string): Promise<bigint> =>
    BigInt((await provider.request({ method: "eth_getStorageAt", params: [account, `0x${slot.toString(16)}`, tag] })) as string);
  let freshSlots = 0;
  let modifiedSlots = 0;
  let clearedSlots = 0;
  let restoredSlots = 0;
  const seen = new Set<string>();
  for (const { account, slot } of writes) {
    const key = `${account}:${slot}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [was, is] = await Promise.all([storageAt(account, slot, before), storageAt(account, slot, after)]);
    if (was === is) restoredSlots++;
    else if (was === 0n) freshSlots++;
    else if (is === 0n) clearedSlots++;
    else modifiedSlots++;
  }

  // Cold reads of slots the transaction never writes (a written slot's cold access is in the floor).
  const writtenKeys = new Set(writes.map((w) => `${w.account}:${w.slot}`));
  beyond.coldSlotReads = reads.filter((k) => !writtenKeys.has(k) && !k.startsWith("create#")).length;

  let codeBytes = 0;
  for (const account of created) {
    const code = (await provider.request({ method: "eth_getCode", params: [account, after] })) as string;
    codeBytes += (code.length - 2) / 2;
  }

  const parts: FloorParts = {
    calldataBytes,
    calldataGas,
    freshSlots,
    modifiedSlots,
    clearedSlots,
    restoredSlots,
    creations: created.length,
    codeBytes,
    logs,
    beyond,
  };
  return { ...parts, gasUsed: Number(BigInt(receipt.gasUsed)), floor: floorOf(parts) };
}
