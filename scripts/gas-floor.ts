/**
 * Explains where the gas of the benchmarked operations goes: `npx hardhat run scripts/gas-floor.ts`.
 *
 * For each transaction it replays the trace (debug_traceTransaction) and counts what no
 * implementation can avoid: the intrinsic 21,000, calldata, fresh storage slots (0 -> non-zero:
 * 22,100 cold), contract creations (32,000 + code deposit) and logs. docs/gas.md quotes its output.
 */
import { network } from "hardhat";
import { id, parseEther } from "ethers";
import PlatformModule from "../deploy/modules/Platform.ts";
import { communityParams } from "./lib/community.ts";
import { typedPlatform } from "./lib/deployments.ts";

interface StructLog {
  op: string;
  depth: number;
  stack?: string[];
  gasCost: number;
}

const { ethers, ignition, networkHelpers, provider } = await network.create();
const [, creator, fan, other] = await ethers.getSigners();
const { factory } = await typedPlatform(ethers, await ignition.deploy(PlatformModule));

async function analyse(label: string, hash: string): Promise<void> {
  const tx = await ethers.provider.getTransaction(hash);
  const receipt = await ethers.provider.getTransactionReceipt(hash);
  if (tx === null || receipt === null) throw new Error("missing transaction");
  const data = ethers.getBytes(tx.data);
  const zeros = data.filter((b) => b === 0).length;
  const calldataGas = zeros * 4 + (data.length - zeros) * 16;
  const trace = (await provider.request({
    method: "debug_traceTransaction",
    params: [hash, { disableMemory: true, disableStorage: true }],
  })) as { structLogs: StructLog[] };
  let sstoreGas = 0;
  let freshSlots = 0;
  let updates = 0;
  let creates = 0;
  let logs = 0;
  let calls = 0;
  for (const log of trace.structLogs) {
    if (log.op === "SSTORE") {
      sstoreGas += log.gasCost;
      if (log.gasCost >= 20_000) freshSlots++;
      else if (log.gasCost >= 2_900) updates++;
    } else if (log.op === "CREATE2" || log.op === "CREATE") creates++;
    else if (log.op.startsWith("LOG")) logs++;
    else if (log.op === "CALL" || log.op === "DELEGATECALL" || log.op === "STATICCALL") calls++;
  }
  const floor = 21_000 + calldataGas + freshSlots * 22_100 + creates * 32_000;
  console.log(
    `${label}: gasUsed ${receipt.gasUsed}; intrinsic 21000 + calldata ${calldataGas} (${data.length} bytes); ` +
      `${freshSlots} fresh slots, ${updates} slot updates (SSTORE total ${sstoreGas}); ${creates} creations; ` +
      `${logs} logs; ${calls} calls; floor (intrinsic + calldata + fresh slots + creations) ${floor}`,
  );
}

const params = communityParams({ salt: id("floor") });
const created = await factory.connect(creator).createCommunity(params);
await created.wait();
await analyse("createCommunity", created.hash);
const entry = await factory.community(1);
const token = await ethers.getContractAt("SocialToken", entry.token);
const governor = await ethers.getContractAt("CommunityGovernor", entry.governor);

const toNew = await token.connect(creator).transfer(fan.address, parseEther("100"));
await toNew.wait();
await analyse("transfer.toNewHolder", toNew.hash);
await networkHelpers.mine(1);
const both = await token.connect(creator).transfer(fan.address, parseEther("100"));
await both.wait();
await analyse("transfer.delegatedToDelegated", both.hash);

const targets = [entry.timelock];
const calldatas = [(await ethers.getContractAt("CommunityTimelock", entry.timelock)).interface.encodeFunctionData("updateDelay", [3600])];
const proposed = await governor.connect(creator).propose(targets, [0n], calldatas, "floor");
await proposed.wait();
await analyse("propose", proposed.hash);
await networkHelpers.time.increase(params.votingDelay + 1);
const voted = await governor.connect(creator).castVote(1n, 1);
await voted.wait();
await analyse("castVote", voted.hash);
void other;
